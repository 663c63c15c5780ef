import chardet from 'chardet';
import iconv from 'iconv-lite';

/** The encodings a contact file is read in when it does not say (and is not UTF-8). */
const GUESSABLE = new Set(['shift_jis', 'euc-jp', 'windows-1250', 'iso-8859-2', 'windows-1251', 'big5', 'gb18030', 'euc-kr']);

export interface Decoded {
  text: string;
  /** The encoding the bytes were read in (lowercase iconv name). */
  encoding: string;
}

/**
 * The characters of a file, whatever it was written in: a byte-order mark decides
 * (UTF-8, UTF-16 LE/BE); else UTF-16 without a mark is recognised by its zero bytes; else
 * valid UTF-8 is UTF-8; else `charset` when the sender knows it, else chardet's guess,
 * else Windows-1252 (which maps every byte).
 */
export function decodeBytes(bytes: Uint8Array, charset?: string): Decoded {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: b.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (b[0] === 0xff && b[1] === 0xfe) return { text: iconv.decode(b.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: iconv.decode(b.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  if (charset && iconv.encodingExists(charset)) return { text: stripBom(iconv.decode(b, charset)), encoding: charset.toLowerCase() };
  const utf16 = utf16WithoutBom(b);
  if (utf16) return { text: iconv.decode(b, utf16), encoding: utf16 };
  if (isUtf8(b)) return { text: b.toString('utf8'), encoding: 'utf-8' };
  const encoding = guessEncoding(b);
  return { text: iconv.decode(b, encoding), encoding };
}

/** Bytes of one value (a QUOTED-PRINTABLE one) as text: its CHARSET, else UTF-8 if valid, else the file's encoding. */
export function decodeValueBytes(bytes: Buffer, charset: string | undefined, fileEncoding: string): string {
  if (charset && iconv.encodingExists(charset)) return iconv.decode(bytes, charset);
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const fallback = fileEncoding === 'utf-8' || fileEncoding.startsWith('utf-16') ? guessEncoding(bytes) : fileEncoding;
  return iconv.decode(bytes, fallback);
}

export function encodingExists(name: string): boolean {
  return iconv.encodingExists(name);
}

const stripBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Mostly-ASCII text in UTF-16 has a zero in every other byte: even positions for BE, odd for LE. */
export function utf16WithoutBom(b: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(b.length - (b.length % 2), 4096);
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  const half = n / 2;
  if (oddZeros > half * 0.4 && evenZeros < half * 0.05) return 'utf-16le';
  if (evenZeros > half * 0.4 && oddZeros < half * 0.05) return 'utf-16be';
  return null;
}

/**
 * An encoding for bytes that are not UTF-8: chardet's guess when it is sure of it (a Japanese or
 * Chinese file, Central European), else Windows-1252, which reads Western European text and
 * maps every byte. (chardet's low-confidence guesses on a French file full of "é" name CJK encodings.)
 */
export function guessEncoding(b: Buffer): string {
  const sample = b.length > 65536 ? b.subarray(0, 65536) : b;
  const [top] = chardet.analyse(sample);
  const name = top?.name.toLowerCase();
  if (top && name && top.confidence >= 50 && GUESSABLE.has(name) && iconv.encodingExists(name)) return name;
  return 'windows-1252';
}

