import { TextField, type TextFieldProps } from './TextField';

/** A TextField that never shows what is typed: one bullet per character. */
export function PasswordField(props: Omit<TextFieldProps, 'masked'>) {
  return <TextField {...props} masked />;
}
