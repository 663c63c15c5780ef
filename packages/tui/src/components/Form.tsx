import { useLayoutEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeypress } from '../hooks/useKeypress';
import { PasswordField } from './PasswordField';
import { Spinner } from './Spinner';
import { editText, TextField } from './TextField';

export interface FieldSpec<N extends string = string> {
  name: N;
  label: string;
  kind?: 'text' | 'password';
  maxLength?: number;
}

export type Values<N extends string> = Record<N, string>;
export type Errors<N extends string> = Partial<Record<N, string>>;

export interface FormMessage {
  text: string;
  tone: 'info' | 'error';
}

export interface FormProps<N extends string> {
  fields: FieldSpec<N>[];
  values: Values<N>;
  onChange: (values: Values<N>, changed: N) => void;
  onSubmit: () => void;
  errors?: Errors<N>;
  submitLabel: string;
  busy?: boolean;
  busyLabel?: string;
  /** The server's answer (or any form-wide message), shown in place under the fields. */
  message?: FormMessage | null;
  isActive?: boolean;
  labelWidth?: number;
  fieldWidth?: number;
  /** The field focused first (e.g. the password when the username is already filled in). */
  initialFocus?: number;
}

/**
 * A column of fields plus a submit button, driven by the one key dispatcher:
 * Tab/↓ next, Shift+Tab/↑ previous, Enter next field (or submit from the last field and the
 * button), Ctrl+S submit from anywhere (raw mode turns flow control off, so it reaches us). Values live with the caller, so a screen keeps them across reconnects and decides
 * what a failed submit clears. When errors arrive, focus jumps to the first field in error.
 */
export function Form<N extends string>({ fields, values, onChange, onSubmit, errors = {}, submitLabel, busy = false, busyLabel, message, isActive = true, labelWidth, fieldWidth, initialFocus = 0 }: FormProps<N>) {
  const [focus, setFocus] = useState(initialFocus);
  const [cursors, setCursors] = useState<Partial<Record<N, number>>>({});
  const count = fields.length + 1; // the fields, then the button

  const firstError = fields.findIndex((f) => errors[f.name]);
  const errorKey = fields.map((f) => (errors[f.name] ? f.name : '')).join('|');
  // A layout effect: the frame that shows the errors already shows the focus on the first of them.
  useLayoutEffect(() => {
    if (firstError >= 0) setFocus(firstError);
    // Only when the set of fields in error changes (after a submit), not on every keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [errorKey]);

  useKeypress(
    (event) => {
      const { key } = event;
      if (!event.paste) {
        if ((key.tab && key.shift) || key.upArrow) {
          setFocus((f) => (f - 1 + count) % count);
          return true;
        }
        if (key.tab || key.downArrow) {
          setFocus((f) => (f + 1) % count);
          return true;
        }
        if (key.ctrl && event.input === 's') {
          if (!busy) onSubmit();
          return true;
        }
        if (key.return) {
          if (focus >= fields.length - 1) {
            if (!busy) onSubmit();
          } else setFocus(focus + 1);
          return true;
        }
      }
      const field = fields[focus];
      if (!field || busy) return false;
      const value = values[field.name];
      const cursor = Math.min(cursors[field.name] ?? value.length, value.length);
      const next = editText({ value, cursor }, event, field.maxLength);
      if (!next) return false;
      setCursors((c) => ({ ...c, [field.name]: next.cursor }));
      if (next.value !== value) onChange({ ...values, [field.name]: next.value }, field.name);
      return true;
    },
    { isActive },
  );

  return (
    <Box flexDirection="column">
      {fields.map((field, i) => {
        const Field = field.kind === 'password' ? PasswordField : TextField;
        const value = values[field.name];
        return (
          <Field
            key={field.name}
            label={field.label}
            value={value}
            cursor={Math.min(cursors[field.name] ?? value.length, value.length)}
            focused={isActive && focus === i}
            error={errors[field.name]}
            labelWidth={labelWidth}
            width={fieldWidth}
          />
        );
      })}
      <Box marginTop={1} marginLeft={2}>
        <Text inverse={isActive && focus === fields.length} bold>
          {' '}
          {submitLabel}{' '}
        </Text>
        {busy ? (
          <Box marginLeft={2}>
            <Spinner label={busyLabel} />
          </Box>
        ) : null}
      </Box>
      {message ? (
        <Box marginTop={1} marginLeft={2}>
          <Text color={message.tone === 'error' ? 'red' : 'green'}>{message.text}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
