import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StoreUnavailable, type Backend } from '../src/store/backend';
import { createPostgresBackend } from '../src/store/postgres/backend';
import { PG_MIGRATIONS } from '../src/store/postgres/migrations';
import { recordOf } from '../src/services/contact-record';
import type { ContactRow } from '../src/store/rows';
import { at, contact, newUser } from './contract/context';
import { createTestDatabase, Outage, PG_BASE_URL, postgresUnavailable, terminateConnections, type TestDatabase } from './pg';

const unavailable = await postgresUnavailable();

describe.skipIf(unavailable !== undefined)(`the PostgreSQL backend${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const databases: TestDatabase[] = [];
  const backends: Backend[] = [];
  const fresh = async (encoding?: 'UTF8' | 'LATIN1') => {
    const db = await createTestDatabase(encoding);
    databases.push(db);
    return db;
  };
  const open = async (url: string, options?: Parameters<typeof createPostgresBackend>[1]) => {
    const backend = await createPostgresBackend(url, options);
    backends.push(backend);
    return backend;
  };
  afterEach(async () => {
    await Promise.all(backends.splice(0).map((b) => b.close()));
  });
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
  });

  describe('migrations', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await fresh();
    });

    it('run once when several nodes start together', async () => {
      await Promise.all([open(db.url), open(db.url), open(db.url)]);
      const client = new pg.Client(db.url);
      await client.connect();
      try {
        const { rows } = await client.query('SELECT version, name FROM schema_migrations ORDER BY version');
        expect(rows).toEqual(PG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      } finally {
        await client.end();
      }
    });

    it('refuse a database migrated by a newer annuaire', async () => {
      const client = new pg.Client(db.url);
      await client.connect();
      try {
        await client.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
        await expect(createPostgresBackend(db.url)).rejects.toThrow(/schema version 999 is newer than this server/);
      } finally {
        await client.query('DELETE FROM schema_migrations WHERE version = 999');
        await client.end();
      }
    });

    it('refuse a database not in UTF-8', async () => {
      const latin1 = await fresh('LATIN1');
      await expect(createPostgresBackend(latin1.url)).rejects.toThrow(/encoding is LATIN1: annuaire needs UTF8/);
    });
  });

  describe('the search index', () => {
    it('is rebuilt from the contacts at start when it was made by older rules (or never)', async () => {
      const db = await fresh();
      const first = await open(db.url);
      const user = await newUser(first);
      await first.contacts.insert(user.annuaire_id, [contact('Lefèvre', 'Hélène'), contact('Dupont', 'Jean')], at(0));
      // As a database looks after migration 2 on one whose index was never written.
      const client = new pg.Client(db.url);
      await client.connect();
      await client.query('TRUNCATE search_terms, search_vocab, search_typo; UPDATE search_state SET version = 0');
      await client.end();
      expect((await first.contacts.search(user.annuaire_id, ['hel'], 20, 0)).total).toBe(0);
      const derive = (row: ContactRow) => recordOf(row, 'FR');
      await first.contacts.ensureSearchIndex(derive);
      const found = await first.contacts.search(user.annuaire_id, ['hel'], 20, 0);
      expect(found.rows.map((r) => r.nom)).toEqual(['Lefèvre']);
      // Current now: a second start does not rebuild (nothing to do, same answer).
      await first.contacts.ensureSearchIndex(derive);
      expect((await first.contacts.search(user.annuaire_id, ['dupont'], 20, 0)).total).toBe(1);
    });
  });

  describe('PostgreSQL unreachable', () => {
    it('fails to open with StoreUnavailable', async () => {
      const outage = new Outage(new URL(PG_BASE_URL));
      await outage.up();
      await outage.down(); // a port nothing listens on any more
      await expect(createPostgresBackend(outage.url(PG_BASE_URL))).rejects.toBeInstanceOf(StoreUnavailable);
    });

    it('fails to open with StoreUnavailable when it takes connections but never answers', async () => {
      const outage = new Outage(new URL(PG_BASE_URL));
      await outage.up('silent');
      try {
        await expect(createPostgresBackend(outage.url(PG_BASE_URL), { connectTimeoutMs: 300 })).rejects.toBeInstanceOf(StoreUnavailable);
      } finally {
        await outage.down();
      }
    });

    it('fails a write whose connection is lost mid-transaction with StoreUnavailable, and writes none of it', async () => {
      const db = await fresh();
      const backend = await open(db.url);
      const user = await newUser(backend);
      // Another session holds the annuaire's row: the write waits inside its transaction.
      const blocker = new pg.Client(db.url);
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('SELECT 1 FROM annuaires WHERE id = $1 FOR UPDATE', [user.annuaire_id]);
        const write = backend.contacts.insert(user.annuaire_id, [contact('Coupé')], at(0));
        const caught = write.catch((err: unknown) => err);
        await vi.waitFor(async () => {
          const { rows } = await blocker.query("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'", [db.name]);
          expect(rows).toHaveLength(1);
        });
        await blocker.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
          [db.name],
        );
        expect(await caught).toBeInstanceOf(StoreUnavailable);
        await blocker.query('ROLLBACK');
      } finally {
        await blocker.end();
      }
      expect(await backend.contacts.count(user.annuaire_id)).toBe(0);
      expect(await backend.journal.head(user.annuaire_id)).toEqual({ seq: 0, floor: 0 });
      expect(await backend.contacts.insert(user.annuaire_id, [contact('Ensuite')], at(1))).toHaveLength(1);
    });

    it('fails requests with StoreUnavailable while it is down, and serves again by itself when it is back', async () => {
      const db = await fresh();
      const outage = new Outage(new URL(db.url));
      await outage.up();
      const backend = await open(outage.url(db.url), { connectTimeoutMs: 1000 });
      const user = await newUser(backend);

      await outage.down();
      await expect(backend.users.findById(user.id)).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(backend.contacts.insert(user.annuaire_id, [contact('Pendant')], at(0))).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(backend.limits.takeWindow('k', 1, 1000, 0)).rejects.toBeInstanceOf(StoreUnavailable);

      await outage.up();
      await vi.waitFor(async () => expect(await backend.users.findById(user.id)).toEqual(user), { timeout: 5000 });
      const [row] = await backend.contacts.insert(user.annuaire_id, [contact('Après')], at(1));
      expect(await backend.contacts.list(user.annuaire_id, 'nom', 10)).toEqual([row]);
    });
  });

  describe('announcements between nodes', () => {
    it('go out for a write committed just before its node closes', async () => {
      const db = await fresh();
      const reader = await open(db.url);
      const heard: [number, number][] = [];
      reader.onOtherWrites((annuaireId, seq) => heard.push([annuaireId, seq]));
      const writer = await createPostgresBackend(db.url);
      const user = await newUser(writer);
      await writer.contacts.insert(user.annuaire_id, [contact('Dernier')], at(0));
      await writer.close();
      await vi.waitFor(() => expect(heard).toEqual([[user.annuaire_id, 1]]));
    });

    it('resume after PostgreSQL closed every connection, with every annuaire’s head told again', async () => {
      const db = await fresh();
      const writer = await open(db.url);
      const reader = await open(db.url);
      const heard: [number, number][] = [];
      reader.onOtherWrites((annuaireId, seq) => heard.push([annuaireId, seq]));
      const revocations: unknown[] = [];
      reader.onOtherRevocations((revoked) => revocations.push(revoked));
      const quiet = await newUser(writer);
      await writer.contacts.insert(quiet.annuaire_id, [contact('Calme')], at(0));
      const busy = await newUser(writer);
      await vi.waitFor(() => expect(heard).toContainEqual([quiet.annuaire_id, 1]));
      heard.length = 0;

      expect(await terminateConnections(db.name)).toBeGreaterThanOrEqual(2);
      // Written while the reader may still be reconnecting: told by the notification or by the resync.
      await vi.waitFor(() => writer.contacts.insert(busy.annuaire_id, [contact('Pendant')], at(1)), { timeout: 5000 });
      // The quiet annuaire had no write: only a resync tells of it.
      await vi.waitFor(() => expect(heard).toContainEqual([quiet.annuaire_id, 1]), { timeout: 5000 });
      await vi.waitFor(() => expect(heard).toContainEqual([busy.annuaire_id, 1]), { timeout: 5000 });
      // Revocations announced meanwhile may have been missed too: said so, for a check of every session.
      expect(revocations).toContain(null);

      await writer.contacts.insert(busy.annuaire_id, [contact('Ensuite')], at(2));
      await vi.waitFor(() => expect(heard).toContainEqual([busy.annuaire_id, 2]), { timeout: 5000 });
    });
  });
});
