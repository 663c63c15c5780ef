import { closeSync, fsyncSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

export const RESERVE_FILE = 'reserve.bin';
/** Not more than one attempt to put the reserve back in this long (each writes it whole). */
const REFILL_EVERY_MS = 5000;

/**
 * A file of zeros kept in the data directory. When the disk fills up, even a delete fails:
 * SQLite must append to the WAL, and checkpoint into the main file, before it frees pages.
 * So on SQLITE_FULL the reserve is given back to the filesystem, and deletes find room;
 * until it can be put back (room again), writes that grow the database are refused, and
 * the WAL is checkpointed and truncated after every request, so that it never grows past one
 * transaction (otherwise it grows to 1000 pages before it is reused: measured, 17 deletes of
 * contacts with 5 KB of notes filled a 1 MiB reserve).
 */
export class DiskReserve {
  private present: boolean;
  private lastRefill = 0;
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly bytes: number,
    /** Checkpoints the WAL into the database and truncates it. */
    private readonly checkpoint: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.file = path.join(dataDir, RESERVE_FILE);
    this.present = this.fill();
  }

  /** In place: writes may grow the database. False after the disk filled up, until refilled. */
  get held(): boolean {
    return this.present;
  }

  /** SQLite reported the disk full: give the room back. */
  release(): void {
    if (!this.present) return;
    rmSync(this.file, { force: true });
    this.present = false;
  }

  /** After a request, while the disk is full: keep the WAL at its smallest. */
  afterRequest(): void {
    if (this.present) return;
    try {
      this.checkpoint();
    } catch {
      // Best effort: the request itself succeeded, and the next one tries again.
    }
  }

  /** Tries to put the reserve back, at most every few seconds: deletes may have made room. */
  refill(): void {
    if (this.present || this.now() - this.lastRefill < REFILL_EVERY_MS) return;
    this.lastRefill = this.now();
    this.present = this.fill();
  }

  /** Writes the file whole (real blocks, not a sparse file); false, and no file, if there is no room. */
  private fill(): boolean {
    if (this.bytes === 0) return true;
    try {
      if (statSync(this.file).size === this.bytes) return true;
    } catch {
      // Not there yet.
    }
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'w', 0o600);
      const chunk = Buffer.alloc(Math.min(this.bytes, 1024 * 1024));
      for (let written = 0; written < this.bytes; ) {
        written += writeSync(fd, chunk, 0, Math.min(chunk.length, this.bytes - written));
      }
      fsyncSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      rmSync(this.file, { force: true });
      return false;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
