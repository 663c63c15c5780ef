/**
 * Control characters in stored text. A contact's fields are printed by terminals, mail
 * clients and spreadsheets, so none may carry C0 controls (ESC starts terminal escape
 * sequences: OSC 52 writes the clipboard), DEL or C1 (U+0080–U+009F, of which U+009B is a
 * one-character CSI). Tab is ordinary text. Line feeds are allowed only in fields that
 * have several lines (notes, a street address); CR LF and lone CR count as one line feed.
 */

// Tab (U+0009) and, for multi-line fields, line feed (U+000A) are the only controls kept.
// eslint-disable-next-line no-control-regex -- the rule itself: these are the characters refused
const SINGLE_LINE_CONTROLS = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex -- the rule itself: these are the characters refused
const MULTI_LINE_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const SINGLE_LINE_CONTROLS_ALL = new RegExp(SINGLE_LINE_CONTROLS.source, 'g');
const MULTI_LINE_CONTROLS_ALL = new RegExp(MULTI_LINE_CONTROLS.source, 'g');

export interface LineRule {
  /** Whether the field may hold line feeds. */
  multiline: boolean;
}

/** CR LF and lone CR become LF: one line break, however the client's platform writes it. */
export function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Whether `text` holds a character the field refuses (after line-break normalisation). */
export function hasControlCharacters(text: string, rule: LineRule): boolean {
  return (rule.multiline ? MULTI_LINE_CONTROLS : SINGLE_LINE_CONTROLS).test(normalizeLineBreaks(text));
}

/**
 * `text` without the characters the field refuses: for values that arrive from files
 * (import) and for display of values stored before the rule existed. In a single-line
 * field a line break becomes a space, so that words stay apart.
 */
export function stripControlCharacters(text: string, rule: LineRule): string {
  const lines = normalizeLineBreaks(text);
  if (rule.multiline) return lines.replace(MULTI_LINE_CONTROLS_ALL, '');
  return lines.replace(/\n/g, ' ').replace(SINGLE_LINE_CONTROLS_ALL, '');
}
