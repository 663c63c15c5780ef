import type Database from 'better-sqlite3';
import { legacyUsernameKey, usernameKey } from '../auth/username';

/**
 * Versioned migrations, applied in order inside one transaction each.
 * PRAGMA user_version records the last one applied. Never edit a shipped migration:
 * add a new one.
 */
export const MIGRATIONS: { version: number; name: string; sql?: string; run?: (db: Database.Database) => void }[] = [
  {
    version: 1,
    name: 'users, annuaires, contacts, sessions, search index',
    sql: `
      CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        username      TEXT NOT NULL,
        -- NFC + lowercase: the unique index is what makes usernames unique, not a check.
        username_key  TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL
      );
      CREATE TABLE annuaires (
        id         INTEGER PRIMARY KEY,
        user_id    INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE contacts (
        id          INTEGER PRIMARY KEY,
        annuaire_id INTEGER NOT NULL REFERENCES annuaires(id) ON DELETE CASCADE,
        nom         TEXT NOT NULL,
        prenom      TEXT NOT NULL,
        nom_key     TEXT NOT NULL,
        prenom_key  TEXT NOT NULL,
        -- Every other field as JSON, so the model grows without a schema change.
        data        TEXT NOT NULL,
        version     INTEGER NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE INDEX contacts_by_name    ON contacts(annuaire_id, nom_key, prenom_key, id);
      CREATE INDEX contacts_by_prenom  ON contacts(annuaire_id, prenom_key, nom_key, id);
      CREATE INDEX contacts_by_created ON contacts(annuaire_id, created_at, id);
      CREATE INDEX contacts_by_updated ON contacts(annuaire_id, updated_at, id);
      CREATE TABLE sessions (
        id           INTEGER PRIMARY KEY,
        user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash   TEXT NOT NULL UNIQUE,
        created_at   INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_by_user ON sessions(user_id);
      -- Contentless: the text lives in contacts; the index only maps words to contact ids.
      CREATE VIRTUAL TABLE contacts_fts USING fts5(
        names, other,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
      );
    `,
  },
  {
    version: 2,
    name: 'search index ordered by name, typo vocabulary',
    // The index is derived data: the server fills it from the contacts at start-up
    // whenever search_state is behind (services/contacts.ts ensureSearchIndex),
    // so existing databases get their rows indexed by this same code path.
    sql: `
      DROP TABLE contacts_fts;
      -- The FTS rowid of each contact: annuaire and name order in one integer (store/search-index.ts).
      CREATE TABLE search_keys (
        skey       INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL UNIQUE REFERENCES contacts(id) ON DELETE CASCADE,
        sort       TEXT NOT NULL
      );
      CREATE VIRTUAL TABLE search_fts USING fts5(
        names, other,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3',
        detail = column
      );
      -- Distinct words, and each under its deletion neighbourhood, for the typo candidate step.
      CREATE TABLE search_vocab (word TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE search_typo (
        variant TEXT NOT NULL,
        word    TEXT NOT NULL,
        PRIMARY KEY (variant, word)
      ) WITHOUT ROWID;
      CREATE TABLE search_state (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
      INSERT INTO search_state (id, version) VALUES (1, 0);
    `,
  },
  {
    version: 3,
    name: 'search index: 4-letter prefix index',
    // Measured on 1M contacts: a 4-letter prefix ("rene") matching more words than are
    // worth spelling out made FTS5 merge every matching word's list, 1-5 ms per tier.
    // The index is rebuilt from the contacts at start-up (search_state back to 0).
    sql: `
      DROP TABLE search_fts;
      CREATE VIRTUAL TABLE search_fts USING fts5(
        names, other,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3 4',
        detail = column
      );
      UPDATE search_state SET version = 0;
    `,
  },
  {
    version: 4,
    name: 'original text of imported vCards',
    sql: `
      -- An imported card's own text, exported as is while the contact keeps the version it was
      -- imported at: a round trip through our model would drop what it does not know (PHOTO, X-…).
      CREATE TABLE contact_sources (
        contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
        format     TEXT NOT NULL,
        text       TEXT NOT NULL,
        version    INTEGER NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'search index: one column, name words marked, no positions',
    // Measured on 1M contacts: a column filter (names : "du"*) read every occurrence of
    // the word in the other fields to find those in the names (0.9 ms for 20 rows, 5 ms
    // to count). Name words are now terms of their own ("ǂdupont", text/words.ts), so
    // no query needs columns or positions: detail = none. Rebuilt at start-up.
    sql: `
      DROP TABLE search_fts;
      CREATE VIRTUAL TABLE search_fts USING fts5(
        words,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3 4 5',
        detail = none
      );
      UPDATE search_state SET version = 0;
    `,
  },
  {
    version: 6,
    name: 'per-annuaire usage counters for quotas',
    // Kept by triggers in the write's own transaction, so a quota check reads two integers
    // instead of summing an annuaire. Bytes are UTF-8 bytes of the names, the JSON rest and
    // an imported card's original text. A contact's source goes before the contact, so its
    // bytes are taken off while the contact still says which annuaire they belong to.
    sql: `
      ALTER TABLE annuaires ADD COLUMN contact_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE annuaires ADD COLUMN data_bytes INTEGER NOT NULL DEFAULT 0;
      UPDATE annuaires SET
        contact_count = (SELECT count(*) FROM contacts c WHERE c.annuaire_id = annuaires.id),
        data_bytes =
          coalesce((SELECT sum(length(CAST(c.nom || c.prenom || c.data AS BLOB))) FROM contacts c
                    WHERE c.annuaire_id = annuaires.id), 0)
          + coalesce((SELECT sum(length(CAST(s.text AS BLOB))) FROM contact_sources s
                      JOIN contacts c ON c.id = s.contact_id WHERE c.annuaire_id = annuaires.id), 0);
      CREATE TRIGGER contacts_usage_insert AFTER INSERT ON contacts BEGIN
        UPDATE annuaires SET contact_count = contact_count + 1,
          data_bytes = data_bytes + length(CAST(NEW.nom || NEW.prenom || NEW.data AS BLOB))
        WHERE id = NEW.annuaire_id;
      END;
      CREATE TRIGGER contacts_usage_update AFTER UPDATE OF nom, prenom, data ON contacts BEGIN
        UPDATE annuaires SET data_bytes = data_bytes
          - length(CAST(OLD.nom || OLD.prenom || OLD.data AS BLOB))
          + length(CAST(NEW.nom || NEW.prenom || NEW.data AS BLOB))
        WHERE id = NEW.annuaire_id;
      END;
      CREATE TRIGGER contacts_usage_delete BEFORE DELETE ON contacts BEGIN
        DELETE FROM contact_sources WHERE contact_id = OLD.id;
        UPDATE annuaires SET contact_count = contact_count - 1,
          data_bytes = data_bytes - length(CAST(OLD.nom || OLD.prenom || OLD.data AS BLOB))
        WHERE id = OLD.annuaire_id;
      END;
      CREATE TRIGGER sources_usage_insert AFTER INSERT ON contact_sources BEGIN
        UPDATE annuaires SET data_bytes = data_bytes + length(CAST(NEW.text AS BLOB))
        WHERE id = (SELECT annuaire_id FROM contacts WHERE id = NEW.contact_id);
      END;
      CREATE TRIGGER sources_usage_update AFTER UPDATE OF text ON contact_sources BEGIN
        UPDATE annuaires SET data_bytes = data_bytes - length(CAST(OLD.text AS BLOB)) + length(CAST(NEW.text AS BLOB))
        WHERE id = (SELECT annuaire_id FROM contacts WHERE id = NEW.contact_id);
      END;
      CREATE TRIGGER sources_usage_delete AFTER DELETE ON contact_sources BEGIN
        UPDATE annuaires SET data_bytes = data_bytes - length(CAST(OLD.text AS BLOB))
        WHERE id = (SELECT annuaire_id FROM contacts WHERE id = OLD.contact_id);
      END;
    `,
  },
  {
    version: 7,
    name: 'username keys: NFKC, case folding and confusable skeleton',
    // Keys are recomputed in JavaScript (auth/username.ts). Two accounts that existed
    // before and now share a key both stay usable: the older one takes the key, each later
    // one keeps its former key behind a mark (legacyUsernameKey), and logs in as before.
    run(db) {
      const users = db.prepare<[], { id: number; username: string }>('SELECT id, username FROM users ORDER BY id').all();
      const setKey = db.prepare('UPDATE users SET username_key = ? WHERE id = ?');
      // Out of the way first, so that no intermediate state breaks the unique index.
      db.exec('UPDATE users SET username_key = char(2) || id');
      const taken = new Set<string>();
      for (const { id, username } of users) {
        const key = taken.has(usernameKey(username)) ? legacyUsernameKey(username) : usernameKey(username);
        taken.add(key);
        setKey.run(key, id);
      }
    },
  },
  {
    version: 8,
    name: 'search index: keys in exact name order per annuaire, vocabulary per annuaire',
    // Keys were annuaire | 5-letter name bucket | slot: every non-Latin name shared one bucket,
    // a full bucket spilled into the next annuaire's range, and the typo vocabulary was one
    // table for every account (issue 9). Keys are now positions in the annuaire's exact name
    // order (store/search-index.ts) and words belong to an annuaire. Rebuilt at start-up.
    // A 6-character prefix index: a marked 5-letter query word ("ǂmarie") is one prefix term;
    // a prefix longer than the longest prefix index makes FTS5 merge every matching word's
    // list in every annuaire (profiled: 1.7 ms a tier on 100k contacts, linear in the database).
    sql: `
      DROP TABLE search_fts;
      DROP TABLE search_keys;
      DROP TABLE search_vocab;
      DROP TABLE search_typo;
      CREATE TABLE search_keys (
        skey        INTEGER PRIMARY KEY,
        contact_id  INTEGER NOT NULL UNIQUE REFERENCES contacts(id) ON DELETE CASCADE,
        annuaire_id INTEGER NOT NULL,
        sort        TEXT NOT NULL
      );
      -- A new contact's neighbours in name order.
      CREATE INDEX search_keys_by_sort ON search_keys(annuaire_id, sort, contact_id);
      CREATE VIRTUAL TABLE search_fts USING fts5(
        words,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3 4 5 6',
        detail = none
      );
      CREATE TABLE search_vocab (
        annuaire_id INTEGER NOT NULL,
        word        TEXT NOT NULL,
        PRIMARY KEY (annuaire_id, word)
      ) WITHOUT ROWID;
      CREATE TABLE search_typo (
        annuaire_id INTEGER NOT NULL,
        variant     TEXT NOT NULL,
        word        TEXT NOT NULL,
        PRIMARY KEY (annuaire_id, variant, word)
      ) WITHOUT ROWID;
      UPDATE search_state SET version = 0;
    `,
  },
  {
    version: 9,
    name: 'change journal per annuaire',
    // One row per contact: its last change (changed or deleted, a tombstone), at a sequence
    // number of its annuaire that only grows (annuaires.change_seq, the last one given). A
    // contact changed again moves to the new number, so changes_since reports it once, as it
    // is now. Only tombstones are trimmed (by age and count: store/journal.ts); change_floor is
    // the highest seq trimmed, below which a client must reload. change_tombstones is kept by
    // triggers so the trim finds annuaires over their count without scanning the journal.
    // Contacts already there are journaled as changed, so changes_since(0) is exact from the start.
    sql: `
      ALTER TABLE annuaires ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE annuaires ADD COLUMN change_floor INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE annuaires ADD COLUMN change_tombstones INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE changes (
        annuaire_id INTEGER NOT NULL REFERENCES annuaires(id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        contact_id  INTEGER NOT NULL,
        deleted     INTEGER NOT NULL,
        at          INTEGER NOT NULL,
        PRIMARY KEY (annuaire_id, seq)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX changes_by_contact ON changes(annuaire_id, contact_id);
      CREATE INDEX changes_tombstones_by_age ON changes(at) WHERE deleted = 1;
      CREATE TRIGGER changes_tombstones_insert AFTER INSERT ON changes WHEN NEW.deleted = 1 BEGIN
        UPDATE annuaires SET change_tombstones = change_tombstones + 1 WHERE id = NEW.annuaire_id;
      END;
      CREATE TRIGGER changes_tombstones_delete AFTER DELETE ON changes WHEN OLD.deleted = 1 BEGIN
        UPDATE annuaires SET change_tombstones = change_tombstones - 1 WHERE id = OLD.annuaire_id;
      END;
      CREATE TRIGGER changes_tombstones_update AFTER UPDATE OF deleted ON changes WHEN OLD.deleted <> NEW.deleted BEGIN
        UPDATE annuaires SET change_tombstones = change_tombstones + NEW.deleted - OLD.deleted WHERE id = NEW.annuaire_id;
      END;
      INSERT INTO changes (annuaire_id, seq, contact_id, deleted, at)
        SELECT annuaire_id, row_number() OVER (PARTITION BY annuaire_id ORDER BY id), id, 0,
               CAST(unixepoch('subsec') * 1000 AS INTEGER)
        FROM contacts;
      UPDATE annuaires SET change_seq = (SELECT count(*) FROM contacts c WHERE c.annuaire_id = annuaires.id);
    `,
  },
  {
    version: 10,
    name: 'login throttle and account-creation windows kept in the database',
    sql: `
      -- A restart forgets no lock, and every process on the file shares them (auth/throttle.ts).
      CREATE TABLE throttle (
        key          TEXT PRIMARY KEY,
        failures     INTEGER NOT NULL,
        locked_until INTEGER NOT NULL,
        last_failure INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX throttle_by_last_failure ON throttle(last_failure);
      CREATE TABLE rate_events (
        key TEXT NOT NULL,
        at  INTEGER NOT NULL
      );
      CREATE INDEX rate_events_by_key ON rate_events(key, at);
      CREATE INDEX rate_events_by_age ON rate_events(at);
    `,
  },
];

export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this server (${latest}); upgrade annuaire`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      if (m.sql) db.exec(m.sql);
      m.run?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}
