import type { TransferFormat } from '@annuaire/protocol';
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invalidParam } from '../errors';
import type { ByteSource } from './formats/stream';

/** A piece of a file, decoded: base64 of it must fit a frame (1 MiB by default) with room to spare. */
export const MAX_CHUNK_BYTES = 512 * 1024;
/** An upload larger than this is refused (1M ordinary contacts are about 200 MB of vCard). */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;
/** An upload left without a piece this long is dropped, its file removed. */
const IDLE_MS = 10 * 60 * 1000;

interface Upload {
  id: string;
  userId: number;
  format: TransferFormat;
  charset?: string;
  dryRun: boolean;
  size?: number;
  dir: string;
  file: string;
  fd: number;
  received: number;
  timer: NodeJS.Timeout;
}

export interface FinishedUpload {
  format: TransferFormat;
  charset?: string;
  dryRun: boolean;
  totalBytes: number;
  source: ByteSource;
  /** Removes the file: call once the import is over, whatever its outcome. */
  discard(): void;
}

/**
 * Files sent in pieces (import_begin / import_chunk / import_end), kept on disk in a private
 * temporary directory (mode 0700, file 0600) rather than in memory; one per user at a time.
 */
export class UploadSpool {
  private readonly byUser = new Map<number, Upload>();

  begin(userId: number, p: { format: TransferFormat; charset?: string; dryRun: boolean; size?: number }) {
    if (p.size !== undefined && p.size > MAX_UPLOAD_BYTES) throw invalidParam('size', 'too_big');
    this.drop(this.byUser.get(userId));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-upload-'));
    const file = path.join(dir, 'file');
    const upload: Upload = {
      id: randomBytes(16).toString('base64url'),
      userId,
      ...p,
      dir,
      file,
      fd: openSync(file, 'wx', 0o600),
      received: 0,
      timer: setTimeout(() => this.drop(upload), IDLE_MS).unref(),
    };
    this.byUser.set(userId, upload);
    return { upload_id: upload.id, max_chunk_bytes: MAX_CHUNK_BYTES, max_bytes: MAX_UPLOAD_BYTES };
  }

  append(userId: number, id: string, bytes: Buffer): { received: number } {
    const upload = this.find(userId, id);
    if (bytes.length > MAX_CHUNK_BYTES) throw invalidParam('bytes', 'too_big');
    if (upload.received + bytes.length > MAX_UPLOAD_BYTES) {
      this.drop(upload);
      throw invalidParam('bytes', 'too_big');
    }
    writeSync(upload.fd, bytes);
    upload.received += bytes.length;
    upload.timer.refresh();
    return { received: upload.received };
  }

  finish(userId: number, id: string): FinishedUpload {
    const upload = this.find(userId, id);
    clearTimeout(upload.timer);
    closeSync(upload.fd);
    this.byUser.delete(userId);
    return {
      format: upload.format,
      charset: upload.charset,
      dryRun: upload.dryRun,
      totalBytes: upload.received,
      source: () => createReadStream(upload.file, { highWaterMark: 64 * 1024 }),
      discard: () => rmSync(upload.dir, { recursive: true, force: true }),
    };
  }

  private find(userId: number, id: string): Upload {
    const upload = this.byUser.get(userId);
    if (!upload || upload.id !== id) throw invalidParam('upload_id', 'upload_unknown');
    return upload;
  }

  private drop(upload: Upload | undefined): void {
    if (!upload) return;
    clearTimeout(upload.timer);
    try {
      closeSync(upload.fd);
    } catch {}
    rmSync(upload.dir, { recursive: true, force: true });
    if (this.byUser.get(upload.userId) === upload) this.byUser.delete(upload.userId);
  }
}
