import { Box, Text } from 'ink';
import { printable, type KeyEvent } from '../hooks/useKeypress';

export interface TextState {
  value: string;
  /** Insertion point, 0..value.length (in UTF-16 units, kept on code point boundaries). */
  cursor: number;
  /** Characters of the last insertion that did not fit in the field's maximum length (said to the user). */
  cut?: number;
}

const prevBoundary = (s: string, i: number) => (i >= 2 && /[\uDC00-\uDFFF]/.test(s[i - 1] ?? '') ? i - 2 : Math.max(0, i - 1));
const nextBoundary = (s: string, i: number) => (/[\uD800-\uDBFF]/.test(s[i] ?? '') ? i + 2 : Math.min(s.length, i + 1));

/**
 * Applies one key to a text: typing and pasting insert at the cursor, ←/→ move, Home/End or
 * Ctrl+A/Ctrl+E jump, Backspace deletes before the cursor, Delete the character under it, Ctrl+U
 * clears. A pasted line break stays in a multi-line text and becomes a space elsewhere. What does
 * not fit in `maxLength` is left out and counted in `cut`. Returns null when the key is not an
 * editing key, so the caller can use it (Tab, Enter, Esc…).
 */
export function editText(state: TextState, event: KeyEvent, { maxLength = 1000, multiline = false }: { maxLength?: number | undefined; multiline?: boolean | undefined } = {}): TextState | null {
  const { value, cursor } = state;
  const { key } = event;
  if (!event.paste) {
    if (key.backspace) {
      if (cursor === 0) return { value, cursor };
      const at = prevBoundary(value, cursor);
      return { value: value.slice(0, at) + value.slice(cursor), cursor: at };
    }
    if (key.delete) {
      if (cursor >= value.length) return { value, cursor };
      return { value: value.slice(0, cursor) + value.slice(nextBoundary(value, cursor)), cursor };
    }
    if (key.leftArrow) return { value, cursor: prevBoundary(value, cursor) };
    if (key.rightArrow) return { value, cursor: nextBoundary(value, cursor) };
    if (key.home || (key.ctrl && event.input === 'a')) return { value, cursor: 0 };
    if (key.end || (key.ctrl && event.input === 'e')) return { value, cursor: value.length };
    if (key.ctrl && event.input === 'u') return { value: '', cursor: 0 };
  }
  const lines = event.paste ? event.input.split('\n') : [event.input];
  const text = lines.map((line) => printable({ ...event, input: line })).join(multiline ? '\n' : ' ');
  if (!text) return null;
  const room = Math.max(0, maxLength - value.length);
  // Never half a surrogate pair.
  const inserted = [...text].reduce((kept, ch) => (kept.length + ch.length <= room ? kept + ch : kept), '');
  const next = { value: value.slice(0, cursor) + inserted + value.slice(cursor), cursor: cursor + inserted.length };
  return inserted.length < text.length ? { ...next, cut: [...text].length - [...inserted].length } : next;
}

/** The part of `value` to show in `width` cells so that the cursor stays visible. */
export function visibleSlice(value: string, cursor: number, width: number): { text: string; cursor: number } {
  if (value.length < width) return { text: value, cursor };
  const start = Math.max(0, Math.min(cursor - width + 1, value.length - width + 1));
  return { text: value.slice(start, start + width), cursor: cursor - start };
}

export interface TextFieldProps {
  label: string;
  value: string;
  cursor?: number;
  focused?: boolean;
  error?: string | undefined;
  /** Shows one bullet per character instead of the text. */
  masked?: boolean;
  labelWidth?: number;
  width?: number;
  /** Focused, its lines show one under the other (notes); else on one line, « ⏎ » between them. */
  multiline?: boolean;
}

/** A focused multi-line field shows at most this many of its lines, around the cursor's. */
export const MAX_ROWS = 4;

/** How many rows a field takes on screen. */
export function fieldRows(value: string, { multiline, focused }: { multiline: boolean; focused: boolean }): number {
  return multiline && focused ? Math.min(MAX_ROWS, value.split('\n').length) : 1;
}

/** The lines of `value` to show around the cursor's: each with its text and where it starts. */
export function linesAround(value: string, cursor: number, rows: number): { lines: { text: string; start: number }[]; cursorLine: number } {
  const all: { text: string; start: number }[] = [];
  let start = 0;
  for (const text of value.split('\n')) {
    all.push({ text, start });
    start += text.length + 1;
  }
  const at = Math.max(0, all.findIndex((l, i) => cursor >= l.start && (i === all.length - 1 || cursor < all[i + 1]!.start)));
  const top = Math.max(0, Math.min(at - rows + 1, all.length - rows));
  return { lines: all.slice(top, top + rows), cursorLine: at - top };
}

/** One labelled line of input, with its validation message beside it. Keys come from Form. */
export function TextField(props: TextFieldProps) {
  const { label, value, cursor = value.length, focused = false, error, labelWidth = 24, width = 28, multiline = false } = props;
  if (fieldRows(value, { multiline, focused }) > 1) {
    const { lines, cursorLine } = linesAround(value, cursor, MAX_ROWS);
    return (
      <Box flexDirection="column" flexShrink={0}>
        {lines.map((line, i) => (
          <OneLine
            key={line.start}
            {...props}
            label={i === 0 ? label : ''}
            value={line.text}
            cursor={cursor - line.start}
            focused={i === cursorLine}
            marked={i === 0}
            error={i === 0 ? error : undefined}
            labelWidth={labelWidth}
            width={width}
          />
        ))}
      </Box>
    );
  }
  return <OneLine {...props} marked={focused} />;
}

/** `marked`: the « › » of the focused field (on its first row). */
function OneLine({ label, value, cursor = value.length, focused = false, error, masked = false, labelWidth = 24, width = 28, marked }: TextFieldProps & { marked: boolean }) {
  // A newline (from a note written elsewhere) shows as ⏎, one cell, so the line never breaks.
  const shown = masked ? '•'.repeat([...value].length) : value.replace(/\n/g, '⏎');
  const shownCursor = masked ? [...value.slice(0, cursor)].length : cursor;
  // Unfocused, a long value shows its start; focused, the part around the cursor.
  const slice = focused ? visibleSlice(shown, shownCursor, width) : { text: shown.slice(0, width), cursor: 0 };
  const before = slice.text.slice(0, slice.cursor);
  const at = slice.text.slice(slice.cursor, slice.cursor + 1) || ' ';
  const after = slice.text.slice(slice.cursor + 1);
  return (
    <Box flexDirection="row">
      <Box width={labelWidth} flexShrink={0}>
        <Text color={marked ? 'cyan' : undefined} bold={marked} wrap="truncate-end">
          {marked ? '› ' : '  '}
          {label}
        </Text>
      </Box>
      <Box width={width + 2} flexShrink={0}>
        <Text>
          <Text dimColor>[</Text>
          {focused ? (
            <>
              {before}
              <Text inverse>{at}</Text>
              {after}
              {' '.repeat(Math.max(0, width - slice.text.length - (slice.cursor >= slice.text.length ? 1 : 0)))}
            </>
          ) : (
            slice.text.padEnd(width, ' ')
          )}
          <Text dimColor>]</Text>
        </Text>
      </Box>
      {error ? (
        <Box marginLeft={1} flexShrink={1}>
          {/* One line, always: the form counts one line per field. */}
          <Text color="red" wrap="truncate-end">
            ✗ {error}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
