/** What a form (components/Form.tsx) and the state behind it (hooks/useForm.ts) both speak of. */

export interface FieldSpec<N extends string = string> {
  name: N;
  label: string;
  kind?: 'text' | 'password';
  maxLength?: number;
  /** A pasted text keeps its line breaks (notes). */
  multiline?: boolean;
}

export type Values<N extends string> = Record<N, string>;
export type Errors<N extends string> = Partial<Record<N, string>>;

export interface FormMessage {
  text: string;
  tone: 'info' | 'error';
}
