import iconv from 'iconv-lite';
import { guessEncoding, utf16WithoutBom } from './decode';

/** A file's bytes, readable more than once (the encoding is found in a first pass). */
export type ByteSource = () => AsyncIterable<Uint8Array>;

/** Pieces of 64 KiB, so that no step of an import holds the event loop for long. */
const PIECE = 64 * 1024;

export function bufferSource(bytes: Uint8Array): ByteSource {
  return async function* () {
    for (let at = 0; at < bytes.length; at += PIECE) yield bytes.subarray(at, at + PIECE);
  };
}

export interface Sniffed {
  encoding: string;
  /** Bytes of byte-order mark to skip. */
  bom: number;
}

/**
 * The encoding of a whole file read as a stream, by the rules of decodeBytes: a BOM, the
 * sender's charset, UTF-16 without BOM, valid UTF-8 (checked over every byte), else a guess.
 */
export async function sniffEncoding(source: ByteSource, charset?: string): Promise<Sniffed> {
  let head = Buffer.alloc(0);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let validUtf8 = true;
  for await (const chunk of source()) {
    if (head.length < 65536) head = Buffer.concat([head, Buffer.from(chunk.subarray(0, 65536 - head.length))]);
    if (head.length >= 3 && (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)) return { encoding: 'utf-8', bom: 3 };
    if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
    if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
    if (charset && iconv.encodingExists(charset)) return { encoding: charset.toLowerCase(), bom: 0 };
    const utf16 = head.length >= 4096 ? utf16WithoutBom(head) : null;
    if (utf16) return { encoding: utf16, bom: 0 };
    if (validUtf8) {
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        validUtf8 = false;
      }
    }
    if (!validUtf8 && head.length >= 65536) break;
  }
  const utf16 = utf16WithoutBom(head);
  if (utf16) return { encoding: utf16, bom: 0 };
  if (validUtf8) {
    try {
      utf8.decode();
      return { encoding: 'utf-8', bom: 0 };
    } catch {}
  }
  return { encoding: guessEncoding(head), bom: 0 };
}

/** The file as text pieces in `encoding` (the BOM skipped), each with the bytes read so far. */
export async function* decodeStream(source: ByteSource, encoding: string, bom: number): AsyncGenerator<{ text: string; bytes: number }> {
  const decoder = iconv.getDecoder(encoding, { stripBOM: false });
  let bytes = 0;
  let skip = bom;
  for await (const chunk of source()) {
    let buf = Buffer.from(chunk);
    bytes += buf.length;
    if (skip > 0) {
      const n = Math.min(skip, buf.length);
      buf = buf.subarray(n);
      skip -= n;
    }
    const text = decoder.write(buf);
    if (text) yield { text, bytes };
  }
  const rest = decoder.end();
  if (rest) yield { text: rest, bytes };
}
