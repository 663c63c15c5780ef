import type { ParamsOf, ResultOf } from './actions';
import type { AnnuaireClient } from './client';
import type { ImportProgressEvent, TransferFormat } from './messages/transfer';
import type { ServerEvent } from './messages/system';

/** What these helpers need of a client: the typed client, or a TUI connection wrapping one. */
export interface TransferClient {
  request: AnnuaireClient['request'];
  on(name: 'event', listener: (event: ServerEvent) => void): unknown;
  off(name: 'event', listener: (event: ServerEvent) => void): unknown;
}

/** Files up to this size go in one import_contacts frame; larger ones in import_chunk pieces. */
export const SINGLE_FRAME_IMPORT_BYTES = 512 * 1024;

export interface ImportFileOptions {
  charset?: string;
  dryRun?: boolean;
  /** Progress as the server reports it (import_progress events), and as pieces are sent. */
  onProgress?: (p: { phase: 'sending' | 'importing'; done: number; total: number; imported: number; rejected: number }) => void;
}

/**
 * Imports a file's bytes as they are on disk (the server finds their encoding): in one frame
 * when small, else in pieces (import_begin / import_chunk / import_end), one piece in flight at a
 * time, so neither side holds more than a piece. Shared by every client (TUI, command line).
 */
export async function importFile(
  client: TransferClient,
  format: TransferFormat,
  bytes: Uint8Array | AsyncIterable<Uint8Array>,
  size: number,
  options: ImportFileOptions = {},
): Promise<ResultOf<'import_contacts'>> {
  const { onProgress } = options;
  const listener = (e: ServerEvent) => {
    if (e.event !== 'import_progress') return;
    const p = e as ImportProgressEvent;
    onProgress?.({ phase: 'importing', done: p.bytes_read, total: p.bytes_total, imported: p.imported, rejected: p.rejected });
  };
  client.on('event', listener);
  try {
    const common = { format, dry_run: options.dryRun ?? false, ...(options.charset ? { charset: options.charset } : {}) };
    if (bytes instanceof Uint8Array && bytes.length <= SINGLE_FRAME_IMPORT_BYTES) {
      return await client.request('import_contacts', { ...common, bytes: Buffer.from(bytes).toString('base64') } as ParamsOf<'import_contacts'>);
    }
    const { upload_id, max_chunk_bytes } = await client.request('import_begin', { ...common, size });
    let sent = 0;
    for await (const piece of pieces(bytes, max_chunk_bytes)) {
      await client.request('import_chunk', { upload_id, bytes: Buffer.from(piece).toString('base64') });
      sent += piece.length;
      onProgress?.({ phase: 'sending', done: sent, total: size, imported: 0, rejected: 0 });
    }
    return await client.request('import_end', { upload_id });
  } finally {
    client.off('event', listener);
  }
}

async function* pieces(bytes: Uint8Array | AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  if (bytes instanceof Uint8Array) {
    for (let at = 0; at < bytes.length; at += max) yield bytes.subarray(at, at + max);
    return;
  }
  let held: Buffer[] = [];
  let heldBytes = 0;
  for await (const chunk of bytes) {
    held.push(Buffer.from(chunk));
    heldBytes += chunk.length;
    while (heldBytes >= max) {
      const all = Buffer.concat(held);
      yield all.subarray(0, max);
      held = [all.subarray(max)];
      heldBytes = all.length - max;
    }
  }
  if (heldBytes > 0) yield Buffer.concat(held);
}

/**
 * The whole annuaire as a file, page after page (export_contacts cursors): each page's text
 * goes to `write` as it comes, so that a large annuaire is never held whole. Returns the count.
 */
export async function exportFile(
  client: TransferClient,
  params: Omit<ParamsOf<'export_contacts'>, 'cursor'>,
  write: (text: string, progress: { done: number; total: number }) => void | Promise<void>,
): Promise<number> {
  let cursor: string | undefined;
  let done = 0;
  do {
    const page = await client.request('export_contacts', { ...params, ...(cursor ? { cursor } : {}) });
    done += page.count;
    await write(page.data, { done, total: page.total });
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return done;
}

/** The whole export as one string: for tests and small annuaires. */
export async function exportAll(client: TransferClient, params: Omit<ParamsOf<'export_contacts'>, 'cursor'>): Promise<{ data: string; count: number }> {
  const parts: string[] = [];
  const count = await exportFile(client, params, (text) => void parts.push(text));
  return { data: parts.join(''), count };
}
