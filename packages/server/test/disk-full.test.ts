/**
 * With the disk full, the user can still delete, and is told why a write failed. Runs on a
 * real, small filesystem (a 8 MiB tmpfs, mounted here: needs root, skipped otherwise).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RESERVE_FILE } from '../src/store/disk-reserve';
import { protocolError, startTestServer } from './helpers';

const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'annuaire-diskfull-'));
const mounted = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Fills what is left of the filesystem with a file of its own, as another program would. */
function fillDisk(file: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  for (let i = 0; ; i++) {
    try {
      writeFileSync(file, chunk, { flag: 'a' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return;
      throw err;
    }
  }
}

describe.skipIf(!mounted)('a full disk', () => {
  it('refuses writes with storage_full, still deletes, and writes again once there is room', async () => {
    const dataDir = path.join(mountPoint, 'data');
    mkdirSync(dataDir);
    const t = await startTestServer({ dataDir, diskReserveBytes: 1024 * 1024 });
    try {
      const { client, username, password } = await t.user('plein');
      const ids: number[] = [];
      for (let i = 0; i < 100; i++) ids.push((await client.request('add_contact', { nom: `Contact${i}`, notes: 'x'.repeat(5000) })).contact.id);
      // The data in the main file, as after a while in service; then another program fills the disk.
      await t.restart();
      const again = await t.client();
      await again.request('login', { username, password });
      const filler = path.join(mountPoint, 'filler');
      fillDisk(filler);

      let full;
      for (let i = 0; !full && i < 1000; i++) {
        full = await again.request('add_contact', { nom: `Encore${i}`, notes: 'y'.repeat(5000) }).then(() => undefined, (err: unknown) => err);
      }
      const refused = await protocolError(Promise.reject(full));
      expect(refused.code).toBe('storage_full');
      expect(refused.message).toMatch(/disque du serveur est plein/);
      expect(existsSync(path.join(dataDir, RESERVE_FILE))).toBe(false);

      // Deletes go through; growing the database is still refused while the disk is full.
      for (const contact_id of ids.slice(0, 60)) await again.request('delete_contact', { contact_id });
      expect((await protocolError(again.request('add_contact', { nom: 'Toujours plein' }))).code).toBe('storage_full');
      expect((await again.request('whoami')).contact_count).toBeGreaterThanOrEqual(40);

      // Room again: the reserve comes back (within a few seconds) and so do writes.
      rmSync(filler);
      let added = false;
      for (let waited = 0; !added && waited < 10_000; waited += 250) {
        added = await again.request('add_contact', { nom: 'Enfin' }).then(() => true, () => false);
        if (!added) await new Promise((r) => setTimeout(r, 250));
      }
      expect(added).toBe(true);
      expect(existsSync(path.join(dataDir, RESERVE_FILE))).toBe(true);
    } finally {
      await t.close();
    }
  });
});
