import type { SqliteDatabase } from './sqlite';
import { isUniqueViolation } from './sqlite';
import {
  UsernameTaken,
  type Backend,
  type ContactRepository,
  type JournalRepository,
  type LimitRepository,
  type NewContact,
  type SessionRepository,
  type ThrottleEntry,
  type UsageGuard,
  type UserRepository,
} from './backend';
import { ContactStore } from './contacts';
import type { CommittedChange, ContactRecord, ContactRow } from './rows';
import { SessionStore } from './sessions';
import { SourceStore } from './sources';
import { UserStore } from './users';
import { sqliteSearch } from './sqlite-search';

/** The SQLite backend, with its store (for what is SQLite's own: tests of the index, the bench). */
export type SqliteBackend = ReturnType<typeof createSqliteBackend>;

/**
 * The embedded backend: SQLite in the data directory (store/db.ts opens it). Every call is
 * synchronous underneath (better-sqlite3), each write one transaction, so no other request
 * ever runs inside it; the promises only meet the interface PostgreSQL needs.
 */
export function createSqliteBackend(db: SqliteDatabase, derive: (row: ContactRow) => ContactRecord): Backend & { store: ContactStore } {
  const store = new ContactStore(db, derive);
  const users = new UserStore(db);
  const sessions = new SessionStore(db);
  const sources = new SourceStore(db);
  const commitListeners: ((changes: CommittedChange[]) => void)[] = [];
  store.onCommit = (changes) => {
    for (const l of commitListeners) l(changes);
  };

  /** Runs `write` in a transaction, then `guard` on the usage it left: a throw rolls all back. */
  const guarded = <T>(annuaireId: number, guard: UsageGuard | undefined, write: () => T): T =>
    store.transaction(() => {
      const before = guard ? store.usage(annuaireId) : undefined;
      const result = write();
      if (guard && before) guard(store.usage(annuaireId), before);
      return result;
    });

  const userRepository: UserRepository = {
    findByKey: async (key) => users.findByKey(key),
    findById: async (id) => users.findById(id),
    async create(username, key, hash, now) {
      try {
        return users.create(username, key, hash, now);
      } catch (err) {
        if (isUniqueViolation(err)) throw new UsernameTaken();
        throw err;
      }
    },
    setPasswordHash: async (id, hash) => users.setPasswordHash(id, hash),
    contactCount: async (annuaireId) => users.contactCount(annuaireId),
    async delete(userId) {
      const user = users.findById(userId);
      store.transaction(() => {
        if (user) store.deleteSearchIndexOf(user.annuaire_id);
        users.delete(userId);
      });
    },
  };

  const sessionRepository: SessionRepository = {
    create: async (userId, tokenHash, now, passwordHash) => sessions.create(userId, tokenHash, now, passwordHash),
    find: async (tokenHash) => sessions.find(tokenHash),
    findById: async (id) => sessions.findById(id),
    touch: async (id, now) => sessions.touch(id, now),
    delete: async (id) => sessions.delete(id),
    deleteOthers: async (userId, keepId) => sessions.deleteOthers(userId, keepId),
    deleteExpired: async (idleBefore, createdBefore) => sessions.deleteExpired(idleBefore, createdBefore),
  };

  const search = sqliteSearch(store);
  const contacts: ContactRepository = {
    insert: async (annuaireId: number, list: NewContact[], now: string, guard?: UsageGuard) =>
      guarded(annuaireId, guard, () =>
        list.map(({ record, source }) => {
          const row = store.insert(annuaireId, record, now);
          if (source) sources.save(row.id, source.format, source.text, row.version);
          return row;
        }),
      ),
    update: async (annuaireId, id, expectedVersion, record, now, guard) =>
      guarded(annuaireId, guard, () => store.update(annuaireId, id, expectedVersion, record, now)),
    delete: async (annuaireId, id, now) => store.delete(annuaireId, id, now),
    get: async (annuaireId, id) => store.get(annuaireId, id),
    getMany: async (annuaireId, ids) => store.getMany(annuaireId, ids),
    count: async (annuaireId) => store.count(annuaireId),
    usage: async (annuaireId) => store.usage(annuaireId),
    list: async (annuaireId, order, limit, after) => store.list(annuaireId, order, limit, after),
    listPage: async (annuaireId, limit, offset, order) => store.listPage(annuaireId, limit, offset, order),
    findByName: async (annuaireId, nomKey, prenomKey) => store.findByName(annuaireId, nomKey, prenomKey),
    findByNames: async (annuaireId, names) => {
      const seen = new Set<string>();
      return names.flatMap(({ nomKey, prenomKey }) => {
        const key = `${nomKey}\u0000${prenomKey}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return store.findByName(annuaireId, nomKey, prenomKey).filter((row) => row.prenom_key === prenomKey);
      });
    },
    widestLists: async (annuaireId) => store.widestLists(annuaireId),
    sources: async (format, ids) => sources.forContacts(format, ids),
    search: async (annuaireId, words, limit, offset) => search(annuaireId, words, limit, offset),
    ensureSearchIndex: async (deriveRecord) => ensureSearchIndex(store, deriveRecord),
  };

  const journal: JournalRepository = {
    head: async (annuaireId) => store.journal.head(annuaireId),
    heads: async (ids) => store.journal.heads(ids),
    // One transaction: a snapshot of head, entries and rows.
    since: async (annuaireId, seq, limit) =>
      store.transaction(() => {
        const head = store.journal.head(annuaireId);
        const entries = store.journal.since(annuaireId, seq, limit);
        const live = entries.filter((e) => !e.deleted).map((e) => e.contactId);
        return { head, entries, rows: new Map(store.getMany(annuaireId, live).map((r) => [r.id, r])) };
      }),
    trimStep: async (policy, now) => store.journal.trimStep(policy, now),
  };

  return {
    kind: 'sqlite',
    store,
    users: userRepository,
    sessions: sessionRepository,
    contacts,
    journal,
    limits: sqliteLimits(db),
    onCommit: (listener) => void commitListeners.push(listener),
    // One process owns the file's writes here, or the change feed polls the journal for the others.
    onOtherWrites: () => {},
    // Nothing to tell: the session sweep finds sessions another process revoked.
    announceRevocation: async () => {},
    onOtherRevocations: () => {},
    close: async () => void db.close(),
  };
}

/** Builds the search index from the contacts when it was derived by older rules (after a migration). */
function ensureSearchIndex(store: ContactStore, derive: (row: ContactRow) => ContactRecord): void {
  const index = store.searchIndex;
  if (index.isCurrent()) return;
  store.transaction(() => {
    index.clear();
    // In name order, each contact lands after the previous one: keys evenly spaced, no spreading.
    for (const annuaire of store.annuaireIds()) {
      for (let page = store.list(annuaire, 'nom', 1000); page.length > 0; ) {
        for (const row of page) store.index(annuaire, row.id, derive(row));
        page = store.list(annuaire, 'nom', 1000, store.sortKeyOf(page.at(-1)!, 'nom'));
      }
    }
    index.markCurrent();
  });
}

/** The throttle's and the account-creation window's state (migration 10): a restart forgets nothing. */
function sqliteLimits(db: SqliteDatabase): LimitRepository {
  const entry = db.prepare<[string], ThrottleEntry>('SELECT failures, locked_until AS lockedUntil, last_failure AS lastFailure FROM throttle WHERE key = ?');
  const write = db.prepare('INSERT OR REPLACE INTO throttle (key, failures, locked_until, last_failure) VALUES (?, ?, ?, ?)');
  const forget = db.prepare('DELETE FROM throttle WHERE last_failure < ? AND locked_until < ?');
  const clear = db.prepare('DELETE FROM throttle WHERE key = ?');
  const recent = db.prepare<[string, number], { n: number; first: number | null }>('SELECT count(*) AS n, min(at) AS first FROM rate_events WHERE key = ? AND at > ?');
  const addEvent = db.prepare('INSERT INTO rate_events (key, at) VALUES (?, ?)');
  const dropOld = db.prepare('DELETE FROM rate_events WHERE at <= ?');
  return {
    async throttleEntries(keys) {
      const out = new Map<string, ThrottleEntry>();
      for (const key of keys) {
        const e = entry.get(key);
        if (e) out.set(key, e);
      }
      return out;
    },
    async recordFailures(keys, now, lockFor, forgetAfterMs) {
      db.transaction(() => {
        forget.run(now - forgetAfterMs, now);
        for (const key of keys) {
          const old = entry.get(key);
          const failures = (old?.failures ?? 0) + 1;
          const lock = lockFor(failures);
          write.run(key, failures, lock > 0 ? now + lock : (old?.lockedUntil ?? 0), now);
        }
      })();
    },
    clear: async (key) => void clear.run(key),
    async takeWindow(key, limit, windowMs, now) {
      return db.transaction(() => {
        const { n, first } = recent.get(key, now - windowMs)!;
        if (n >= limit) return windowMs - (now - (first ?? now));
        dropOld.run(now - windowMs);
        addEvent.run(key, now);
        return 0;
      })();
    },
  };
}
