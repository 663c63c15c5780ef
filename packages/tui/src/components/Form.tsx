import { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeypress, type KeyEvent } from '../hooks/useKeypress';
import { typography, useLang, useT } from '../i18n';
import { PasswordField } from './PasswordField';
import { Spinner } from './Spinner';
import { editText, fieldRows, TextField } from './TextField';
import { useLayout } from './layout';
import { useWindowTop } from './WindowedList';
import type { Errors, FieldSpec, FormMessage, Values } from './formTypes';

/** Room kept right of a field for its error message. */
const ERROR_ROOM = 36;

/** Fields as wide as the terminal allows, their error beside them: 28 columns at 80, up to 70. */
export function fieldWidthFor(columns: number, labelWidth: number): number {
  return Math.max(28, Math.min(70, columns - labelWidth - 2 - ERROR_ROOM));
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
  /** Lines the form may use: when its fields do not fit, they scroll to keep the focused one in view. */
  height?: number;
  /** Says how many fields are hidden above and below when the form scrolls. */
  moreLabel?: (above: number, below: number) => string;
  /** Changes each time a submit found errors: focus then goes to the first of them, once. */
  errorsShown?: number;
  /** Sees each key first, with the focused field's name (undefined on the button); true: used. */
  onKey?: (event: KeyEvent, focused: N | undefined) => boolean;
  /** Moves the focus to a field, each time `seq` changes (a field just added, say). */
  focusName?: { name: N; seq: number } | undefined;
}

/**
 * A column of fields plus a submit button, driven by the one key dispatcher:
 * Tab/↓ next, Shift+Tab/↑ previous, Enter next field (or submit from the last field and the
 * button), Ctrl+S submit from anywhere (raw mode turns flow control off, so it reaches us). Values
 * live with the caller, so a screen keeps them across reconnects and decides what a failed submit
 * clears. When a submit finds errors (`errorsShown` changes), focus jumps to the first field in
 * error, once: fixing one error never moves the cursor away from where the user types.
 */
export function Form<N extends string>({ fields, values, onChange, onSubmit, errors = {}, submitLabel, busy = false, busyLabel, message: formMessage, isActive = true, labelWidth, fieldWidth, initialFocus = 0, height, moreLabel, errorsShown = 0, onKey, focusName }: FormProps<N>) {
  const [focus, setFocus] = useState(initialFocus);
  const [cursors, setCursors] = useState<Partial<Record<N, number>>>({});
  const t = useT();
  const lang = useLang();
  const { columns } = useLayout();
  const width = fieldWidth ?? fieldWidthFor(columns, labelWidth ?? 24);
  /** The last paste that did not fit: said beside its field until the next edit. */
  const [clipped, setClipped] = useState<{ field: N; count: number; max: number } | null>(null);
  const count = fields.length + 1; // the fields, then the button

  // Focus moves when these change, and only then: a submit showed errors (never because one was
  // fixed while typing), or a field is asked for again (a new seq). Seen during render, so the
  // frame that shows the errors already shows the focus on the first of them.
  const [errorsSeen, setErrorsSeen] = useState(0);
  if (errorsShown !== errorsSeen) {
    setErrorsSeen(errorsShown);
    const firstError = fields.findIndex((f) => errors[f.name]);
    if (errorsShown > 0 && firstError >= 0) setFocus(firstError);
  }
  const [focusSeqSeen, setFocusSeqSeen] = useState<number | undefined>(undefined);
  if (focusName?.seq !== focusSeqSeen) {
    setFocusSeqSeen(focusName?.seq);
    const at = focusName ? fields.findIndex((f) => f.name === focusName.name) : -1;
    if (at >= 0) setFocus(at);
  }

  useKeypress(
    (event) => {
      const { key } = event;
      if (onKey?.(event, fields[focus]?.name)) return true;
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
        // Alt+Enter or Ctrl+J: a new line in a multi-line field (notes); elsewhere, Enter.
        const newline = event.fn === 'newline' || (key.return && key.meta);
        const current = fields[focus];
        if (newline && current?.multiline && !busy) {
          const value = values[current.name];
          const cursor = Math.min(cursors[current.name] ?? value.length, value.length);
          const next = editText({ value, cursor }, { input: '\n', key: { ...key, return: false, meta: false }, paste: true }, { maxLength: current.maxLength, multiline: true });
          if (next) {
            setCursors((c) => ({ ...c, [current.name]: next.cursor }));
            onChange({ ...values, [current.name]: next.value }, current.name);
          }
          return true;
        }
        if (key.return || newline) {
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
      const next = editText({ value, cursor }, event, { maxLength: field.maxLength, multiline: field.multiline });
      if (!next) return false;
      setClipped(next.cut ? { field: field.name, count: next.cut, max: field.maxLength ?? 1000 } : null);
      setCursors((c) => ({ ...c, [field.name]: next.cursor }));
      if (next.value !== value) onChange({ ...values, [field.name]: next.value }, field.name);
      return true;
    },
    { isActive },
  );

  // The error beside a field may be cut at 80 columns: the focused field's shows whole in the message's place.
  const focusedField = isActive ? fields[focus] : undefined;
  const focusedError = focusedField ? errors[focusedField.name] : undefined;
  const whole = focusedField && focusedError ? `${focusedField.label}${t('punct.colon')}${focusedError}` : null;
  const message: FormMessage | null | undefined = whole ? { text: formMessage && formMessage.text !== focusedError ? `${formMessage.text} ${whole}` : whole, tone: 'error' } : formMessage;
  // The button (2 lines) and the message (2 lines and more) stay in view; the fields scroll above them.
  // When they scroll, one line says how many are hidden, so the window gets one line less.
  const room = height === undefined ? fields.length : Math.max(1, height - 2 - (message ? 3 : 0));
  // A focused multi-line field (notes) takes several rows: fewer fields fit around it.
  const focusedValue = focusedField ? (values[focusedField.name] ?? '') : '';
  const extra = focusedField ? fieldRows(focusedValue, { multiline: focusedField.multiline ?? false, focused: true }) - 1 : 0;
  const scrolls = fields.length + extra > room;
  const visible = scrolls ? Math.max(1, room - 1 - extra) : fields.length;
  // Not scrolling, the window holds every field: its top is 0.
  const top = useWindowTop(Math.min(focus, fields.length - 1), scrolls ? visible : fields.length, fields.length);
  if (top === null) return null;
  const shown = fields.slice(top, top + visible);
  const above = top;
  const below = fields.length - top - shown.length;
  return (
    <Box flexDirection="column">
      {shown.map((field, k) => {
        const i = top + k;
        const Field = field.kind === 'password' ? PasswordField : TextField;
        const value = values[field.name];
        return (
          <Field
            key={field.name}
            label={field.label}
            value={value}
            cursor={Math.min(cursors[field.name] ?? value.length, value.length)}
            focused={isActive && focus === i}
            error={errors[field.name] !== undefined ? typography(lang, errors[field.name]!) : (clipped?.field === field.name ? t('form.pasteCut', { count: clipped.count, max: clipped.max }) : undefined)}
            labelWidth={labelWidth}
            width={width}
            multiline={field.multiline ?? false}
          />
        );
      })}
      {scrolls ? (
        <Text dimColor wrap="truncate-end">
          {'  '}
          {moreLabel ? moreLabel(above, below) : [above > 0 ? t('form.moreAbove', { count: above }) : '', below > 0 ? t('form.moreBelow', { count: below }) : ''].filter(Boolean).join(' · ') + ` ${t('form.moreKeys')}`}
        </Text>
      ) : null}
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
          <Text color={message.tone === 'error' ? 'red' : 'green'}>{typography(lang, message.text)}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
