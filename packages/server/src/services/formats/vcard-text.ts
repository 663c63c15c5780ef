import { decodeValueBytes, encodingExists } from './decode';

/**
 * Real vCard files, from vCard 2.1 phones to iOS, made readable by a strict 3.0/4.0 parser
 * (ical.js) without writing a parser of our own: this only rewrites the text, line by line.
 *
 * - line ends: CR LF, LF, CR and CR CR LF (a file converted twice) all end a line;
 * - unfolding, including vCard 2.1 QUOTED-PRINTABLE soft line breaks (a line ending in "=");
 * - vCard 2.1 bare parameters (TEL;CELL → TEL;TYPE=CELL) and BASE64 (→ ENCODING=b);
 * - QUOTED-PRINTABLE values decoded in their CHARSET; raw 8-bit values of a file that is not
 *   UTF-8 read in their CHARSET, else in the file's encoding;
 * - "#" comment lines, junk lines without ":" and text outside the cards are skipped;
 * - a card nested inside another (a vCard 2.1 AGENT) is left out with a warning, and the
 *   outer card kept; grouped BEGIN/END ("home.begin:vcard") are read as BEGIN/END.
 */

export interface CardWarning {
  field: string;
  reason: string;
  detail?: string;
}

export interface RawCard {
  /** 1-based rank of the (top-level) card in the file. */
  position: number;
  /** Content lines, unfolded, in vCard 3.0/4.0 syntax (no BEGIN/END). */
  lines: string[];
  version: string;
  warnings: CardWarning[];
}

export interface ContentLine {
  group: string;
  name: string;
  params: string[];
  value: string;
}

/** Splits "group.NAME;P=V;P2:value" at its first unquoted ":" (parameters may hold quoted ":"). */
export function parseContentLine(line: string): ContentLine | null {
  let inQuotes = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === ':' && !inQuotes) {
      colon = i;
      break;
    }
  }
  if (colon <= 0) return null;
  const head = splitUnquoted(line.slice(0, colon), ';');
  const fullName = head[0]!.trim();
  const dot = fullName.lastIndexOf('.');
  const name = fullName.slice(dot + 1);
  if (!/^[A-Za-z0-9-]+$/.test(name)) return null;
  return { group: dot >= 0 ? fullName.slice(0, dot + 1) : '', name: name.toUpperCase(), params: head.slice(1), value: line.slice(colon + 1) };
}

function splitUnquoted(s: string, sep: string): string[] {
  const out: string[] = [];
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') inQuotes = !inQuotes;
    else if (s[i] === sep && !inQuotes) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

const isQuotedPrintable = (line: string) => /ENCODING=QUOTED-PRINTABLE|;QUOTED-PRINTABLE[;:]/i.test(line.slice(0, line.indexOf(':') + 1 || undefined));

/** Physical lines to logical ones: folding (a leading space or tab) and QP soft line breaks. */
export function unfold(text: string): string[] {
  const out: string[] = [];
  const lines = new LineUnfolder((line) => out.push(line), !text.includes('\n'));
  lines.push(text);
  lines.end();
  return out;
}

/**
 * Unfolds text given in pieces of any size; each logical line goes to `emit` once the next
 * physical line shows it is complete. CR CR LF (a file converted twice) is one line end; a lone
 * CR ends a line only in a file without LF (classic Mac OS), elsewhere it stays in the value.
 */
class LineUnfolder {
  private carry = '';
  private pending: string | null = null;
  constructor(
    private readonly emit: (line: string) => void,
    private crOnly = false,
  ) {}

  push(text: string): void {
    const all = this.carry + text;
    const parts = all.split(this.crOnly ? /\r/ : /\r*\n/);
    this.carry = parts.pop()!;
    for (const line of parts) this.physical(line);
  }

  end(): void {
    if (this.carry !== '') this.physical(this.carry.replace(/\r+$/, ''));
    this.carry = '';
    if (this.pending !== null) this.emit(this.pending);
    this.pending = null;
  }

  private physical(line: string): void {
    const p = this.pending;
    if (p !== null && p.endsWith('=') && isQuotedPrintable(p)) this.pending = p.slice(0, -1) + line.replace(/^[ \t]/, '');
    else if (p !== null && (line.startsWith(' ') || line.startsWith('\t'))) this.pending = p + line.slice(1);
    else {
      if (p !== null) this.emit(p);
      this.pending = line;
    }
  }
}

/**
 * Cuts a file into its cards, each normalised as described above, from text given in pieces.
 * `binaryEncoding`: the text holds the file's raw bytes one per char (latin1) because the
 * file is not UTF-8; each value is then decoded in its CHARSET, else in this encoding.
 */
export class RawCardSplitter {
  private readonly lines: LineUnfolder;
  private current: RawCard | null = null;
  private nestedDepth = 0;
  private count = 0;
  private first = true;
  private out: RawCard[] = [];

  constructor(
    private readonly binaryEncoding?: string,
    crOnly = false,
  ) {
    this.lines = new LineUnfolder((line) => this.line(line), crOnly);
  }

  /** The cards completed by this piece of text. */
  push(text: string): RawCard[] {
    if (this.first) {
      text = text.replace(/^\uFEFF/, '');
      this.first = false;
    }
    this.lines.push(text);
    return this.take();
  }

  end(): RawCard[] {
    this.lines.end();
    // A card cut short by the end of the file still counts: what it holds is kept.
    if (this.current) {
      this.current.warnings.push({ field: 'END', reason: 'missing_end' });
      this.out.push(this.current);
      this.current = null;
    }
    return this.take();
  }

  private take(): RawCard[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private line(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const parsed = parseContentLine(trimmed);
    const marker = parsed && (parsed.name === 'BEGIN' || parsed.name === 'END') ? `${parsed.name}:${parsed.value.trim().toUpperCase()}` : '';
    const current = this.current;
    if (marker === 'BEGIN:VCARD') {
      if (current) {
        if (this.nestedDepth === 0) current.warnings.push({ field: 'AGENT', reason: 'nested_card' });
        this.nestedDepth++;
      } else this.current = { position: ++this.count, lines: [], version: '3.0', warnings: [] };
      return;
    }
    if (marker === 'END:VCARD') {
      if (this.nestedDepth > 0) this.nestedDepth--;
      else if (current) {
        this.out.push(current);
        this.current = null;
      }
      return;
    }
    if (!current || this.nestedDepth > 0) return;
    if (!parsed) {
      current.warnings.push({ field: trimmed.slice(0, 20), reason: 'unreadable_line' });
      return;
    }
    if (parsed.name === 'VERSION') {
      current.version = parsed.value.trim();
      return;
    }
    current.lines.push(normaliseLine(parsed, this.binaryEncoding, current.warnings, current.version === '2.1'));
  }
}

/** Every card of a whole text (see RawCardSplitter). */
export function readRawCards(text: string, binaryEncoding?: string): RawCard[] {
  const splitter = new RawCardSplitter(binaryEncoding, !text.includes('\n'));
  return [...splitter.push(text), ...splitter.end()];
}

function normaliseLine(line: ContentLine, binaryEncoding: string | undefined, warnings: CardWarning[], v21: boolean): string {
  let quotedPrintable = false;
  let charset: string | undefined;
  const params: string[] = [];
  for (const raw of line.params) {
    const p = raw.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    const key = (eq < 0 ? '' : p.slice(0, eq)).trim().toUpperCase();
    const value = eq < 0 ? p : p.slice(eq + 1).trim();
    const upper = value.toUpperCase();
    if (key === 'ENCODING' || (key === '' && ['BASE64', 'B', 'QUOTED-PRINTABLE', '8BIT', '7BIT'].includes(upper))) {
      if (upper === 'QUOTED-PRINTABLE') quotedPrintable = true;
      else if (upper === 'BASE64' || upper === 'B') params.push('ENCODING=b');
      continue;
    }
    if (key === 'CHARSET') {
      if (encodingExists(value)) charset = value;
      else warnings.push({ field: line.name, reason: 'unknown_charset', detail: value });
      continue;
    }
    params.push(key === '' ? `TYPE=${value}` : `${key}=${value}`);
  }
  let value = line.value;
  if (quotedPrintable) {
    value = escapeNewlines(decodeValueBytes(decodeQuotedPrintable(value, binaryEncoding !== undefined), charset, binaryEncoding ?? 'utf-8'));
  } else if (binaryEncoding !== undefined) {
    value = decodeValueBytes(Buffer.from(value, 'latin1'), charset, binaryEncoding);
  }
  // vCard 2.1 has no list values: a comma there is text, which 3.0 writes "\,".
  if (v21) value = value.replace(/(?<!\\),/g, '\\,');
  return `${line.group}${line.name}${params.map((p) => `;${p}`).join('')}:${value}`;
}

/** "Dupr=C3=A9" → the bytes it stands for; other characters are their own bytes (latin1) or UTF-8. */
function decodeQuotedPrintable(value: string, binary: boolean): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (binary || c.charCodeAt(0) < 0x80) bytes.push(c.charCodeAt(0) & 0xff);
    else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes);
}

/** A decoded multi-line value kept on one content line, as vCard 3.0 escapes it. */
const escapeNewlines = (s: string) => s.replace(/\r\n|\r|\n/g, '\\n');
