import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * The digit strings under which a phone number is indexed, so that any way of
 * writing it finds it: national form with its trunk prefix ("0612345678"),
 * international form without "+" ("33612345678"), and the digits as typed.
 * `region` is the server's (config phoneRegion): the one assumed for numbers written
 * without a country code ("06 12 34 56 78").
 */
export function phoneSearchTokens(value: string, region: CountryCode): string[] {
  const tokens = new Set<string>([value.replace(/\D/g, '')]);
  const parsed = parsePhoneNumberFromString(value, region);
  if (parsed) {
    tokens.add(parsed.formatNational().replace(/\D/g, ''));
    tokens.add(parsed.number.replace(/\D/g, ''));
  }
  tokens.delete('');
  return [...tokens];
}

/** A query made only of digits and phone punctuation, with at least 3 digits. */
export function looksLikePhone(query: string): boolean {
  return /^\+?[\d\s.\-()/]+$/.test(query.trim()) && query.replace(/\D/g, '').length >= 3;
}

/**
 * The digit prefix to look up for a phone-like query: "+33 6 12" becomes "0612",
 * the national form, since every number is indexed under it too.
 */
export function phoneQueryDigits(query: string): string {
  const digits = query.replace(/\D/g, '');
  const trimmed = query.trim();
  if (trimmed.startsWith('+') || trimmed.startsWith('00')) {
    const parsed = parsePhoneNumberFromString(trimmed.startsWith('00') ? `+${digits.slice(2)}` : trimmed);
    if (parsed?.isPossible()) return parsed.formatNational().replace(/\D/g, '');
  }
  return digits;
}
