import ICAL from 'ical.js';
import { bufferSource, decodeStream, sniffEncoding, type ByteSource } from './stream';
import type { CardWarning, ImportCandidate, ReadProblem, VcardExtras } from './types';
import { parseContentLine, RawCardSplitter, type RawCard } from './vcard-text';

const types = (prop: ICAL.Property): string[] => {
  const t = prop.getParameter('type');
  return (Array.isArray(t) ? t : t ? [t] : []).flatMap((v) => String(v).toLowerCase().split(','));
};

/** A value as text; structured components (N, ADR, ORG) may themselves be lists. */
const str = (v: unknown): string => (Array.isArray(v) ? v.map(str).filter(Boolean).join(' ') : v == null ? '' : String(v)).trim();

function emailType(prop: ICAL.Property): 'home' | 'work' | 'other' {
  const t = types(prop);
  return t.includes('work') ? 'work' : t.includes('home') ? 'home' : 'other';
}

function phoneType(prop: ICAL.Property): 'mobile' | 'home' | 'work' | 'fax' | 'other' {
  const t = types(prop);
  if (t.includes('cell') || t.includes('mobile')) return 'mobile';
  if (t.includes('fax')) return 'fax';
  if (t.includes('work')) return 'work';
  if (t.includes('home')) return 'home';
  return 'other';
}

/** URI values (URL) are not unescaped by the parser; writers escape ":" "," ";" and newlines anyway. */
const unescapeUri = (s: string) => s.replace(/\\([\\,;:nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/** The raw text after the first unquoted ":" of a normalised content line. */
const rawValue = (line: string) => parseContentLine(line)?.value ?? '';

export interface ReadBatch {
  candidates: ImportCandidate[];
  problems: ReadProblem[];
  /** Warnings about the file rather than one card (CSV columns no field takes). */
  warnings: (CardWarning & { position: number; label: string })[];
  /** Bytes of the file read so far. */
  bytes: number;
}

/**
 * Reads every card of a vCard file (2.1, 3.0 or 4.0) from its bytes, in whatever encoding
 * (see stream.ts), however its writer bent the format (see vcard-text.ts), a piece at a time.
 */
export async function* readVcardStream(source: ByteSource, charset?: string): AsyncGenerator<ReadBatch> {
  const { encoding, bom } = await sniffEncoding(source, charset);
  // A file that is not UTF-8 nor UTF-16 is read as bytes: a 2.1 value may name its own CHARSET.
  const binary = encoding !== 'utf-8' && !encoding.startsWith('utf-16') && !charset;
  let splitter: RawCardSplitter | null = null;
  let bytes = 0;
  const batch = (raws: RawCard[]): ReadBatch => {
    const out: ReadBatch = { candidates: [], problems: [], warnings: [], bytes };
    for (const raw of raws) {
      const parsed = parseCard(raw);
      if ('problem' in parsed) out.problems.push({ position: raw.position, label: '', reason: 'unreadable', detail: parsed.problem });
      else out.candidates.push(toCandidate(raw, parsed.card, parsed.lines));
    }
    return out;
  };
  for await (const piece of decodeStream(source, binary ? 'latin1' : encoding, bom)) {
    bytes = piece.bytes;
    splitter ??= new RawCardSplitter(binary ? encoding : undefined, !piece.text.includes('\n') && piece.text.includes('\r'));
    yield batch(splitter.push(piece.text));
  }
  if (splitter) yield batch(splitter.end());
}

/** Reads a whole vCard file held in memory (see readVcardStream). */
export async function readVcards(bytes: Uint8Array, charset?: string): Promise<{ candidates: ImportCandidate[]; problems: ReadProblem[] }> {
  const out = { candidates: [] as ImportCandidate[], problems: [] as ReadProblem[] };
  for await (const b of readVcardStream(bufferSource(bytes), charset)) {
    out.candidates.push(...b.candidates);
    out.problems.push(...b.problems);
  }
  return out;
}

const cardText = (version: string, lines: string[]) =>
  ['BEGIN:VCARD', `VERSION:${version.startsWith('4') ? '4.0' : '3.0'}`, ...lines, 'END:VCARD', ''].join('\r\n');

/** The card through ical.js; a property it cannot read is left out with a warning naming it and why. */
function parseCard(raw: RawCard): { card: ICAL.Component; lines: string[] } | { problem: string } {
  try {
    return { card: new ICAL.Component(ICAL.parse(cardText(raw.version, raw.lines)) as unknown[]), lines: raw.lines };
  } catch (whole) {
    const lines = raw.lines.filter((line) => {
      try {
        ICAL.parse(cardText(raw.version, [line]));
        return true;
      } catch (err) {
        raw.warnings.push({ field: parseContentLine(line)?.name ?? '', reason: 'unreadable', detail: (err as Error).message });
        return false;
      }
    });
    try {
      return { card: new ICAL.Component(ICAL.parse(cardText(raw.version, lines)) as unknown[]), lines };
    } catch {
      return { problem: (whole as Error).message };
    }
  }
}

/** Properties we write ourselves on export; PRODID names the writer, so ours replaces it. */
const OURS = new Set(['VERSION', 'PRODID']);

function toCandidate(raw: RawCard, card: ICAL.Component, lines: string[]): ImportCandidate {
  // The first property is the VERSION line cardText() put there; the others are `lines`, in order.
  const props = card.getAllProperties().slice(1);
  const extras: VcardExtras = { lines: [] };
  const warnings: CardWarning[] = raw.warnings;
  const c: ImportCandidate = { position: raw.position, label: '', names: {}, emails: [], telephones: [], warnings, extras };
  const notes: string[] = [];
  props.forEach((prop, i) => {
    const line = lines[i]!;
    const name = prop.name.toUpperCase();
    // A text property the writer left with bare commas reads as a list: take it whole.
    const values = prop.getValues() as unknown[];
    const first = (values.length > 1 && values.every((v) => typeof v === 'string') ? values.join(',') : values[0]) as unknown;
    const taken = (() => {
      switch (name) {
        case 'N': {
          if (extras.n !== undefined) return false;
          const n = Array.isArray(first) ? first : [first];
          c.names.family = str(n[0]);
          c.names.given = str(n[1]);
          extras.n = line;
          return true;
        }
        case 'FN':
          if (extras.fn !== undefined) return false;
          c.names.formatted = str(first);
          extras.fn = line;
          return true;
        case 'NICKNAME':
          c.names.nickname ??= str(first).split(',')[0];
          return false; // not a field of ours: carried through as it is
        case 'UID':
          if (extras.uid !== undefined) return false;
          extras.uid = str(first);
          return true;
        case 'EMAIL':
          c.emails.push({ value: str(first), type: emailType(prop), line });
          return true;
        case 'TEL': {
          const value = str(first);
          if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^tel:/i.test(value)) return false; // sip:, etc.
          c.telephones.push({ value: value.replace(/^tel:/i, ''), type: phoneType(prop), line });
          return true;
        }
        case 'ORG':
          if (c.entreprise !== undefined) return false;
          c.entreprise = (Array.isArray(first) ? first.map(str) : [str(first)]).filter(Boolean).join(', ');
          return true;
        case 'TITLE':
          if (c.fonction !== undefined) return false;
          c.fonction = str(first);
          return true;
        case 'ADR': {
          if (c.adresse !== undefined) return false;
          const a = (Array.isArray(first) ? first : [first]).map(str);
          c.adresse = { rue: [a[2], a[1], a[0]].filter(Boolean).join(', '), ville: a[3], region: a[4], code_postal: a[5], pays: a[6] };
          return true;
        }
        case 'BDAY':
          if (c.anniversaire !== undefined) return false;
          c.anniversaire = rawValue(line).trim();
          return true;
        case 'URL':
          if (c.site_web !== undefined) return false;
          c.site_web = unescapeUri(str(first));
          return true;
        case 'NOTE':
          notes.push(str(first));
          return true;
        default:
          return OURS.has(name);
      }
    })();
    if (!taken) extras.lines.push(line);
  });
  if (notes.some(Boolean)) c.notes = notes.filter(Boolean).join('\n\n');
  c.label = [c.names.family, c.names.given].filter(Boolean).join(' ') || c.names.formatted || c.entreprise || c.names.nickname || c.emails[0]?.value || '';
  return c;
}
