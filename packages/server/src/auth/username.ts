import unhomoglyph from 'unhomoglyph';

/**
 * Case folding as far as JavaScript offers it: upper then lower case folds "ß" into "ss"
 * and the like, and the final sigma is folded by hand ("ΟΔΟΣ" lowers to "οδος", "οδοσ" stays).
 */
function caseFold(s: string): string {
  return s.toUpperCase().toLowerCase().replace(/ς/g, 'σ');
}

/**
 * The confusable skeleton of UTS #39: NFD, default-ignorable characters removed, each
 * character mapped to its prototype in Unicode's confusables.txt (the unhomoglyph
 * package's data), NFD again. Strings that look alike share a skeleton.
 */
function skeleton(s: string): string {
  return unhomoglyph(s.normalize('NFD').replace(/\p{Default_Ignorable_Code_Point}/gu, '')).normalize('NFD');
}

/**
 * The key that makes usernames unique, and finds them at login: NFKC (fullwidth and
 * mathematical letters become plain ones), case folding, NFKC again, then the confusable
 * skeleton (Cyrillic "і" is "i", "m" is "rn"). So "rim", "Rim", "ｒｉｍ", "𝐫𝐢𝐦" and "rіm"
 * are one account, and "οδοσ" is "ΟΔΟΣ". The unique index on users.username_key enforces it.
 */
export function usernameKey(username: string): string {
  return skeleton(caseFold(username.normalize('NFKC')).normalize('NFKC'));
}

/**
 * The key of an account that already existed beside a look-alike when usernameKey became
 * the rule (migration 7): its former key (NFC, lower case) behind a mark no username key can
 * hold, so that it still logs in with the name it always used.
 */
export function legacyUsernameKey(username: string): string {
  return `\u0001${username.normalize('NFC').toLowerCase()}`;
}
