/**
 * The one rule for birthdays, shared by the server (import, add/update) and the clients
 * (the TUI's form): the forms people and files write, and whether the date exists.
 */

export type BirthdayParse = { ok: true; value: string } | { ok: false; reason: 'birthday_invalid' | 'birthday_impossible' };

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether day/month(/year) exists; with no year, 29 February does (someone is born on it). */
export function isRealDate(year: number | null, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2 && day === 29 && year !== null) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= DAYS_IN_MONTH[month - 1]!;
}

/** The stored form ("YYYY-MM-DD", or "--MM-DD" without a year) holds a date that exists. */
export function isRealBirthday(value: string): boolean {
  const m = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && isRealDate(m[1] === '-' ? null : Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Reads 1985-04-12, 19850412, 1985-04-12T00:00:00Z, --04-12, --0412, 04-12 (a month and a day,
 * as some vCard 3.0 writers put it), 12/04/1985 or 12.04.1985 (JJ/MM/AAAA) and 12/04 (JJ/MM).
 * Returns the stored form, or why not: a form we do not know, or a date that does not exist.
 */
export function parseBirthday(text: string): BirthdayParse {
  const t = text.trim();
  let year: number | null = null;
  let month: number;
  let day: number;
  let m = /^(\d{4})-?(\d{2})-?(\d{2})(?:T[\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  if (m) [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(?:--)?(\d{2})-?(\d{2})$/.exec(t))) [month, day] = [Number(m[1]), Number(m[2])];
  else if ((m = /^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?$/.exec(t))) {
    [day, month] = [Number(m[1]), Number(m[2])];
    year = m[3] ? Number(m[3]) : null;
  } else return { ok: false, reason: 'birthday_invalid' };
  if (!isRealDate(year, month, day)) return { ok: false, reason: 'birthday_impossible' };
  const mmdd = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { ok: true, value: year === null ? `--${mmdd}` : `${String(year).padStart(4, '0')}-${mmdd}` };
}
