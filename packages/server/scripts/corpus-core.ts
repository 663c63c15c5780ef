/**
 * Imports every file of the interop corpus (../shared/corpus/contacts, see its SOURCES.md)
 * through a real server, one fresh account per file, and reports per file: cards found,
 * imported, rejected with reasons, and values dropped with warnings.
 * Used by `pnpm corpus` and by test/corpus.test.ts (which skips when the folder is absent).
 */
import { ACTIONS, type AnnuaireClient } from '@annuaire/protocol';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR =
  process.env.ANNUAIRE_CORPUS ?? path.resolve(fileURLToPath(import.meta.url), '../../../../../shared/corpus/contacts');

export interface FileReport {
  file: string;
  /** Top-level BEGIN:VCARD lines in the file, or data rows of a CSV file (as the server counted them). */
  found: number;
  imported: number;
  rejected: { position: number; label: string; field: string; reason: string }[];
  dropped: { position: number; label: string; field: string; reason: string; detail?: string }[];
}

export function corpusFiles(dir = CORPUS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.vcf') || f.endsWith('.csv'))
    .sort();
}

/** Counts cards the way a person would: top-level BEGIN:VCARD lines, whatever the encoding. */
export function countCards(bytes: Buffer): number {
  const text = (looksUtf16(bytes) ? decodeUtf16(bytes) : bytes.toString('latin1')).replace(/^(\uFEFF|\xEF\xBB\xBF)/, '');
  let depth = 0;
  let count = 0;
  for (const line of text.split(/[\r\n]+/)) {
    const t = line.trim().toUpperCase().replace(/^[\w-]+\./, '');
    if (t === 'BEGIN:VCARD') {
      if (depth === 0) count++;
      depth++;
    } else if (t === 'END:VCARD') depth = Math.max(0, depth - 1);
  }
  return count;
}

function looksUtf16(b: Buffer): boolean {
  return b.subarray(0, 200).includes(0);
}

function decodeUtf16(b: Buffer): string {
  const bigEndian = (b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0 && b[1] !== 0);
  return new TextDecoder(bigEndian ? 'utf-16be' : 'utf-16le').decode(b);
}

/** Imports one file into the (fresh, logged-in) client's annuaire. */
export async function importFile(
  client: AnnuaireClient,
  file: string,
  dir = CORPUS_DIR,
): Promise<FileReport> {
  const bytes = readFileSync(path.join(dir, file));
  const format = file.endsWith('.vcf') ? 'vcard' : 'csv';
  // Raw bytes when the protocol carries them; otherwise the file read as UTF-8, as clients used to.
  const carriesBytes = 'bytes' in ACTIONS.import_contacts.params.shape;
  const params = carriesBytes ? { format, bytes: bytes.toString('base64') } : { format, data: bytes.toString('utf8') };
  const result = (await client.request('import_contacts', params as never)) as {
    imported: number;
    rejected: FileReport['rejected'];
    warnings?: FileReport['dropped'];
  };
  const rejected = result.rejected.map(({ position, label, field, reason }) => ({ position, label, field, reason }));
  const dropped = (result.warnings ?? []).map(({ position, label, field, reason, detail }) => ({ position, label, field, reason, detail }));
  const found = format === 'vcard' ? countCards(bytes) : result.imported + rejected.length;
  return { file, found, imported: result.imported, rejected, dropped };
}

export function summarize(reports: FileReport[]): string {
  const lines = ['| file | found | imported | rejected | dropped values |', '|---|---|---|---|---|'];
  const total = { found: 0, imported: 0, rejected: 0, dropped: 0 };
  for (const r of reports) {
    const why = (list: FileReport['rejected']) =>
      list.length === 0 ? '0' : `${list.length} (${list.map((x) => `#${x.position} ${x.field || '-'}: ${x.reason}`).join('; ')})`;
    lines.push(`| ${r.file} | ${r.found} | ${r.imported} | ${why(r.rejected)} | ${why(r.dropped)} |`);
    total.found += r.found;
    total.imported += r.imported;
    total.rejected += r.rejected.length;
    total.dropped += r.dropped.length;
  }
  lines.push(`| **total** (${reports.length} files) | ${total.found} | ${total.imported} | ${total.rejected} | ${total.dropped} |`);
  return lines.join('\n');
}
