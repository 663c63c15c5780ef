import { describe, expect, it } from 'vitest';
import { Birthday } from './messages/contacts';
import { isRealBirthday, parseBirthday } from './dates';

describe('parseBirthday', () => {
  it('reads the forms files and people write', () => {
    for (const [text, value] of [
      ['1985-04-12', '1985-04-12'],
      ['19850412', '1985-04-12'],
      ['1985-04-12T00:00:00Z', '1985-04-12'],
      ['--04-12', '--04-12'],
      ['--0412', '--04-12'],
      ['02-10', '--02-10'],
      ['12/04/1985', '1985-04-12'],
      ['1.2.2000', '2000-02-01'],
      ['29/02', '--02-29'],
    ]) expect(parseBirthday(text!)).toEqual({ ok: true, value });
  });

  it('refuses dates that do not exist, and says so apart from unknown forms', () => {
    for (const text of ['1990-02-31', '1900-02-29', '31/04/2001', '--13-01', '2001-00-10']) {
      expect(parseBirthday(text)).toEqual({ ok: false, reason: 'birthday_impossible' });
    }
    expect(parseBirthday('2000-02-29')).toMatchObject({ ok: true });
    expect(parseBirthday('circa 1800')).toEqual({ ok: false, reason: 'birthday_invalid' });
  });

  it('is the rule of the protocol schema', () => {
    expect(isRealBirthday('--02-29')).toBe(true);
    expect(Birthday.safeParse('1990-02-31').error?.issues[0]?.message).toBe('birthday_impossible');
    expect(Birthday.safeParse('1990-02-28').success).toBe(true);
  });
});
