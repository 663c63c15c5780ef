import type { Contact } from '@annuaire/protocol';
import { parse } from 'csv-parse';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import { classify, emailType, phoneType, type AddressPart, type Column } from './csv-columns';
import { decodeStream, sniffEncoding, type ByteSource } from './stream';
import type { ImportCandidate } from './types';
import type { ReadBatch } from './vcard';

/**
 * The separator of a CSV file, from its header line: the one of ",", ";" and tab that occurs
 * most outside quotes. A file is read with one separator only, so that "Dupont, Fils et Cie" in
 * a ";" file or a note "call; later" in a "," file stays one value.
 */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (const ch of text.slice(0, 65536)) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && ch in counts) counts[ch]!++;
  }
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![1] > 0 ? Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![0] : ',';
}

/** A cell we wrote with a leading "'" so that a spreadsheet does not run it (see neutralise). */
const unneutralise = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

const CSV_BATCH = 500;

/**
 * Reads a CSV file with a header row from its bytes, in whatever encoding (see stream.ts), a
 * piece at a time; the separator is detected from the header line.
 */
export async function* readCsvStream(source: ByteSource, charset?: string): AsyncGenerator<ReadBatch> {
  const { encoding, bom } = await sniffEncoding(source, charset);
  const pieces = decodeStream(source, encoding, bom);
  const first = await pieces.next();
  if (first.done) return;
  let bytes = first.value.bytes;
  const parser = parse({
    bom: true,
    delimiter: detectDelimiter(first.value.text.replace(/^\uFEFF/, '')),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  });
  // Fed as the reader asks: the parser's own buffer bounds what is held in memory.
  void (async () => {
    try {
      if (!parser.write(first.value.text)) await once(parser, 'drain');
      for await (const piece of pieces) {
        bytes = piece.bytes;
        if (!parser.write(piece.text)) await once(parser, 'drain');
      }
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();
  let columns: (Column | undefined)[] | null = null;
  let header: string[] = [];
  const used = new Set<number>();
  let out: ReadBatch = { candidates: [], problems: [], warnings: [], bytes };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        header = record;
        columns = header.map(classify);
        continue;
      }
      const c = toCandidate(columns, record.map((v) => unneutralise(v.trim())), info.lines, used);
      if (c) out.candidates.push(c);
      if (out.candidates.length >= CSV_BATCH) {
        yield { ...out, bytes };
        out = { candidates: [], problems: [], warnings: [], bytes };
      }
    }
  } catch (err) {
    out.problems.push({ position: (parser.info?.lines ?? 0) + 1, label: '', reason: 'unreadable', detail: (err as Error).message });
  }
  out.warnings = header
    .map((name, i) => ({ name, i }))
    .filter(({ i }) => columns?.[i] === undefined && used.has(i))
    .map(({ name }) => ({ position: 1, label: '', field: name, reason: 'unknown_column' }));
  yield { ...out, bytes };
}

function toCandidate(columns: (Column | undefined)[], record: string[], line: number, used: Set<number>): ImportCandidate | null {
  if (record.every((v) => v === '')) return null;
  const single: Partial<Record<string, string>> = {};
  const labels: Record<string, string> = {};
  const emails: { slot: string; value: string; type: Contact['emails'][number]['type'] }[] = [];
  const phones: { slot: string; value: string; type: Contact['telephones'][number]['type'] }[] = [];
  const addresses = new Map<string, Partial<Record<AddressPart, string>>>();
  record.forEach((value, i) => {
    if (value === '') return;
    const column = columns[i];
    if (!column) {
      used.add(i);
      return;
    }
    // Google's legacy export puts several values in one cell: "a@x.fr ::: b@y.fr".
    const values = value.split(/\s*:::\s*/).filter(Boolean);
    switch (column.kind) {
      case 'email':
        for (const v of values) emails.push({ slot: column.slot, value: v, type: column.type });
        break;
      case 'phone':
        for (const v of values) phones.push({ slot: column.slot, value: v, type: column.type });
        break;
      case 'label':
        labels[column.slot] = value;
        break;
      case 'address': {
        const a = addresses.get(column.group) ?? {};
        a[column.part] ??= value;
        addresses.set(column.group, a);
        break;
      }
      default:
        single[column.kind] ??= value;
    }
  });
  const address = [...addresses.values()][0];
  const c: ImportCandidate = {
    position: line,
    label: '',
    names: { family: single.nom, given: single.prenom, formatted: single.display, nickname: single.nickname },
    emails: emails.map((e) => ({ value: e.value, type: labels[e.slot] ? emailType(labels[e.slot]!) : e.type })),
    telephones: phones.map((p) => ({ value: p.value, type: labels[p.slot] ? phoneType(labels[p.slot]!) : p.type })),
    entreprise: single.entreprise,
    fonction: single.fonction,
    adresse: address && {
      rue: [address.rue, address.rue2].filter(Boolean).join(', ') || address.formatted,
      ville: address.ville,
      region: address.region,
      code_postal: address.code_postal,
      pays: address.pays,
    },
    anniversaire: single.anniversaire ?? thunderbirdBirthday(single),
    site_web: single.site_web,
    notes: single.notes,
    warnings: [],
  };
  c.label = [c.names.family, c.names.given].filter(Boolean).join(' ') || c.names.formatted || c.entreprise || c.emails[0]?.value || '';
  return c;
}

/** Thunderbird writes a birthday in three columns; the year may be missing. */
function thunderbirdBirthday(single: Partial<Record<string, string>>): string | undefined {
  const { birth_year: y, birth_month: m, birth_day: d } = single;
  if (!m || !d) return undefined;
  const mmdd = `${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return y ? `${y.padStart(4, '0')}-${mmdd}` : `--${mmdd}`;
}

const EMAIL_LABELS = { home: 'Home', work: 'Work', other: 'Other' } as const;
const PHONE_LABELS = { mobile: 'Mobile', home: 'Home', work: 'Work', fax: 'Fax', other: 'Other' } as const;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @ first, or a tab or CR) gets a
 * leading "'", as OWASP recommends; our import removes it again.
 */
export const neutralise = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** Google Contacts' header for as many e-mails and phones as the widest contact has. */
export function csvHeader(maxEmails: number, maxPhones: number): string[] {
  const header = ['First Name', 'Last Name', 'Organization Name', 'Organization Title', 'Birthday', 'Notes'];
  for (let i = 1; i <= maxEmails; i++) header.push(`E-mail ${i} - Label`, `E-mail ${i} - Value`);
  for (let i = 1; i <= maxPhones; i++) header.push(`Phone ${i} - Label`, `Phone ${i} - Value`);
  header.push('Address 1 - Street', 'Address 1 - City', 'Address 1 - Region', 'Address 1 - Postal Code', 'Address 1 - Country');
  header.push('Website 1 - Value');
  return header;
}

export function csvRow(c: Contact, maxEmails: number, maxPhones: number): string[] {
  const a = c.adresse ?? {};
  const row = [c.prenom, c.nom, c.entreprise ?? '', c.fonction ?? '', c.anniversaire ?? '', c.notes ?? ''];
  for (let i = 0; i < maxEmails; i++) row.push(c.emails[i] ? EMAIL_LABELS[c.emails[i]!.type] : '', c.emails[i]?.value ?? '');
  for (let i = 0; i < maxPhones; i++) row.push(c.telephones[i] ? PHONE_LABELS[c.telephones[i]!.type] : '', c.telephones[i]?.value ?? '');
  row.push(a.rue ?? '', a.ville ?? '', a.region ?? '', a.code_postal ?? '', a.pays ?? '', c.site_web ?? '');
  return row;
}

/** Rows as RFC 4180 text: CRLF between records, and any value holding a quote, comma or line end quoted. */
export function csvLines(rows: string[][]): string {
  return stringify(
    rows.map((r) => r.map(neutralise)),
    { record_delimiter: '\r\n', quoted_match: /[\r\n",]/ },
  );
}

/** Writes contacts in Google's layout, so that Google, Apple and Outlook read it, and our import too. */
export function writeCsv(contacts: Contact[]): string {
  const maxEmails = Math.max(1, ...contacts.map((c) => c.emails.length));
  const maxPhones = Math.max(1, ...contacts.map((c) => c.telephones.length));
  return csvLines([csvHeader(maxEmails, maxPhones), ...contacts.map((c) => csvRow(c, maxEmails, maxPhones))]);
}
