/**
 * Look-alike usernames: one account per name as people read it (NFKC, case folding,
 * UTS #39 confusable skeleton), invisible characters refused, over a real server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/passwords';
import { DB_FILE } from '../src/store/db';
import { MIGRATIONS } from '../src/store/migrations';
import { Sqlite } from '../src/store/sqlite';
import { onPostgres, protocolError, startTestServer, type TestServer } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('look-alike usernames', () => {
  it('refuses look-alikes of an existing name as taken', async () => {
    const c = await t.client();
    await c.request('create_account', { username: 'rim', password: 'motdepasse1' });
    await c.request('create_account', { username: 'ΟΔΟΣ', password: 'motdepasse1' });
    const lookAlikes = ['ｒｉｍ', '𝐫𝐢𝐦', 'r\u0456m', 'R\u0406M', 'rirn', 'οδοσ', 'οδος'];
    for (const username of lookAlikes) {
      const err = await protocolError(c.request('create_account', { username, password: 'motdepasse2' }));
      expect({ username, code: err.code }).toEqual({ username, code: 'username_taken' });
    }
  });

  it('refuses invisible characters with their own reason', async () => {
    const c = await t.client();
    for (const invisible of ['\u034f', '\ufe0f', '\u180b', '\u200d']) {
      const err = await protocolError(c.request('create_account', { username: `rim${invisible}`, password: 'motdepasse2' }));
      expect(err.code).toBe('invalid_params');
      expect(err.body.issues?.[0]).toMatchObject({ field: 'username', reason: 'username_invisible_characters' });
      expect(err.message).toMatch(/invisible/);
    }
  });

  it('logs in by the same key', async () => {
    const c = await t.client();
    await c.request('create_account', { username: 'Zoé', password: 'motdepasse1' });
    const login = await c.request('login', { username: 'ＺＯＥ\u0301', password: 'motdepasse1' });
    expect(login.username).toBe('Zoé');
  });
});

// SQLite's migration 7 (PostgreSQL's schema starts with these keys).
describe.skipIf(onPostgres)('migration of existing username keys', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-usernames-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps two accounts that now look alike both usable, each by its own name', async () => {
    // A database as version 5 made it: keys were NFC + lower case, so these four were distinct.
    const db = new Sqlite(path.join(dataDir, DB_FILE));
    for (const m of MIGRATIONS.filter((m) => m.version <= 5)) db.exec(m.sql!);
    db.pragma('user_version = 5');
    const hash = await hashPassword('motdepasse-ancien');
    const users = ['rim', 'r\u0456m', 'ΟΔΟΣ', 'οδοσ'];
    for (const [i, name] of users.entries()) {
      const id = db.prepare('INSERT INTO users (username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?)')
        .run(name, name.normalize('NFC').toLowerCase(), hash, `2026-01-0${i + 1}`).lastInsertRowid;
      db.prepare('INSERT INTO annuaires (user_id, name, created_at) VALUES (?, ?, ?)').run(id, `annuaire de ${name}`, '2026-01-01');
    }
    db.close();

    const server = await startTestServer({ dataDir });
    try {
      const c = await server.client();
      for (const name of users) {
        const login = await c.request('login', { username: name, password: 'motdepasse-ancien' });
        expect(login.username).toBe(name);
      }
      // The older account owns the name now: a third look-alike is taken, and the others' spellings reach the older one.
      const err = await protocolError(c.request('create_account', { username: 'ｒｉｍ', password: 'motdepasse2' }));
      expect(err.code).toBe('username_taken');
      expect((await c.request('login', { username: 'RIM', password: 'motdepasse-ancien' })).username).toBe('rim');
    } finally {
      await server.close();
    }
  });
});
