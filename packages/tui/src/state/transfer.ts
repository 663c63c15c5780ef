import { readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, type TransferFormat } from '@annuaire/protocol';

/** `~` and `~/…` as in a shell; anything else relative to where the app was started. */
export function expandHome(p: string, home = os.homedir()): string {
  const trimmed = p.trim();
  if (trimmed === '~') return home;
  if (trimmed.startsWith('~/')) return path.join(home, trimmed.slice(2));
  return path.resolve(trimmed);
}

/** The format a file name implies: .vcf/.vcard → vCard, .csv → CSV, else null (ask). */
export function formatFromPath(p: string): TransferFormat | null {
  const ext = path.extname(p).toLowerCase();
  if (ext === '.vcf' || ext === '.vcard') return 'vcard';
  if (ext === '.csv') return 'csv';
  return null;
}

/** Where an export goes unless the user says otherwise: ~/annuaire-<user>.vcf or .csv. */
export function defaultExportPath(username: string, format: TransferFormat): string {
  return `~/annuaire-${username}.${format === 'vcard' ? 'vcf' : 'csv'}`;
}

/** Bytes of the import_contacts request as it goes on the wire (JSON escaping included). */
export function importFrameBytes(format: TransferFormat, data: string): number {
  return Buffer.byteLength(encodeFrame({ format, data, dry_run: false, id: 2 ** 31, action: 'import_contacts' }));
}

export type ReadOutcome =
  | { ok: true; data: string }
  | { ok: false; problem: 'missing' | 'notAFile' | 'empty' }
  | { ok: false; problem: 'unreadable'; reason: string }
  | { ok: false; problem: 'tooBig'; bytes: number; limit: number };

/**
 * Reads a file to import, refusing before anything is sent what the server would refuse as a
 * frame over its limit (it would close the connection): a file whose size alone is over it is not
 * even read.
 */
export async function readImportFile(file: string, format: TransferFormat | null, limit = DEFAULT_MAX_FRAME_BYTES): Promise<ReadOutcome> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { ok: false, problem: 'notAFile' };
    if (info.size >= limit) return { ok: false, problem: 'tooBig', bytes: info.size, limit };
    const data = await readFile(file, 'utf8');
    if (data.trim() === '') return { ok: false, problem: 'empty' };
    const bytes = importFrameBytes(format ?? 'vcard', data);
    if (bytes > limit) return { ok: false, problem: 'tooBig', bytes, limit };
    return { ok: true, data };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, problem: 'missing' };
    return { ok: false, problem: 'unreadable', reason: code ?? (err instanceof Error ? err.message : String(err)) };
  }
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** A failure the user can act on, worded for them: shown as is (no "unexpected error" around it). */
export class UserFacingError extends Error {}

/** Writes an export; a failure comes back worded by `word` (the reason: EACCES, EISDIR…). */
export async function writeExport(file: string, data: string, word: (reason: string) => string): Promise<void> {
  try {
    await writeFile(file, data, { mode: 0o600 });
  } catch (err) {
    throw new UserFacingError(word((err as NodeJS.ErrnoException).code ?? String(err)));
  }
}
