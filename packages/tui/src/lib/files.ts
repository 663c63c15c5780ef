import { createReadStream } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TransferFormat } from '@annuaire/protocol';
import { UserFacingError } from './userFacingError';

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

export type ReadOutcome =
  | { ok: true; size: number }
  | { ok: false; problem: 'missing' | 'notAFile' | 'empty' }
  | { ok: false; problem: 'unreadable'; reason: string };

/**
 * Checks a file to import before anything is sent. Its bytes are not read here: they go to the
 * server as they are on disk (importFile streams them, in pieces when large), and the server
 * finds their encoding, so a Windows-1252 or UTF-16 file arrives as the right characters.
 */
export async function checkImportFile(file: string): Promise<ReadOutcome> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { ok: false, problem: 'notAFile' };
    if (info.size === 0) return { ok: false, problem: 'empty' };
    // A small file of blanks is empty too (a larger one is the server's to judge).
    if (info.size < 4096 && (await readFile(file)).toString('latin1').trim() === '') return { ok: false, problem: 'empty' };
    return { ok: true, size: info.size };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, problem: 'missing' };
    return { ok: false, problem: 'unreadable', reason: code ?? (err instanceof Error ? err.message : String(err)) };
  }
}

/** The file's bytes as a stream, for importFile. */
export function fileBytes(file: string): AsyncIterable<Uint8Array> {
  return createReadStream(file, { highWaterMark: 256 * 1024 });
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens an export file (mode 0600: it holds the whole annuaire) to write page after page;
 * a failure comes back worded by `word` (the reason: EACCES, EISDIR…).
 */
export async function openExport(file: string, word: (reason: string) => string) {
  const fail = (err: unknown) => new UserFacingError(word((err as NodeJS.ErrnoException).code ?? String(err)));
  let handle: FileHandle;
  try {
    handle = await open(file, 'w', 0o600);
  } catch (err) {
    throw fail(err);
  }
  return {
    write: async (text: string) => {
      try {
        await handle.write(text);
      } catch (err) {
        throw fail(err);
      }
    },
    close: () => handle.close(),
  };
}
