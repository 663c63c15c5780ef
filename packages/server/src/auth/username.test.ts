import { describe, expect, it } from 'vitest';
import { legacyUsernameKey, usernameKey } from './username';

describe('usernameKey', () => {
  it('gives look-alikes of a name its key', () => {
    const rim = usernameKey('rim');
    const lookAlikes = {
      'upper case': 'RIM',
      'combining grapheme joiner': 'rim\u034f',
      'variation selector 16': 'rim\ufe0f',
      'Mongolian variation selector': 'rim\u180b',
      fullwidth: 'ｒｉｍ',
      'mathematical bold': '𝐫𝐢𝐦',
      'Cyrillic і': 'r\u0456m',
      'Cyrillic capital І': 'R\u0406M',
      'r n for m': 'rirn',
    };
    for (const [what, name] of Object.entries(lookAlikes)) expect({ what, key: usernameKey(name) }).toEqual({ what, key: rim });
  });

  it('folds Greek final sigma and German sharp s', () => {
    expect(usernameKey('οδοσ')).toBe(usernameKey('ΟΔΟΣ'));
    expect(usernameKey('οδος')).toBe(usernameKey('ΟΔΟΣ'));
    expect(usernameKey('straße')).toBe(usernameKey('STRASSE'));
  });

  it('keeps different names apart, accents included', () => {
    const names = ['rim', 'rima', 'amine', 'helene', 'hélène', 'åsa', 'asa', '李小龙', 'jean-luc'];
    expect(new Set(names.map(usernameKey)).size).toBe(names.length);
    expect(usernameKey('He\u0301le\u0300ne')).toBe(usernameKey('Hélène'));
  });

  it('never gives a legacy key that a username key could be', () => {
    expect(legacyUsernameKey('Rim').startsWith('\u0001')).toBe(true);
    expect(usernameKey('Rim')).not.toContain('\u0001');
  });
});
