/**
 * Birthdays arrive as 1985-04-12, 19850412, 1985-04-12T00:00:00Z, --0412 or --04-12.
 * Returns the protocol's form (YYYY-MM-DD or --MM-DD), or the text unchanged for the
 * schema to refuse with a clear reason.
 */
export function normalizeBirthday(text: string): string {
  const t = text.trim();
  let m = /^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$/.exec(t);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^--(\d{2})-?(\d{2})$/.exec(t);
  if (m) return `--${m[1]}-${m[2]}`;
  m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t); // French spreadsheets: JJ/MM/AAAA
  if (m) return `${m[3]}-${m[2]}-${m[1]}`;
  return t;
}
