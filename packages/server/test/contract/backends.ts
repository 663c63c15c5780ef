import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordOf } from '../../src/services/contact-record';
import type { Backend } from '../../src/store/backend';
import { openDatabase } from '../../src/store/db';
import { createPostgresBackend } from '../../src/store/postgres/backend';
import { createSqliteBackend } from '../../src/store/sqlite-backend';
import { createTestDatabase, postgresUnavailable } from '../pg';

/** One store (a data directory, a database) that tests open backends on. */
export interface TestStore {
  /** A backend on this store; open it twice for two server nodes. */
  open(): Promise<Backend>;
  /** Closes what open() gave and removes the store. */
  drop(): Promise<void>;
}

export interface BackendFactory {
  name: Backend['kind'];
  /** Why this backend cannot be tested here (its tests are skipped, saying so), or undefined. */
  unavailable: string | undefined;
  /** Whether a backend hears the writes of another opened on the same store (onOtherWrites). */
  announcesOtherWrites: boolean;
  create(): Promise<TestStore>;
}

/** A store whose backends close when it is dropped. */
function store(open: () => Promise<Backend>, remove: () => Promise<void>): TestStore {
  const opened: Backend[] = [];
  return {
    async open() {
      const backend = await open();
      opened.push(backend);
      return backend;
    },
    async drop() {
      await Promise.all(opened.map((b) => b.close()));
      await remove();
    },
  };
}

/** A backend kept in a data directory (SQLite). */
export function directoryBackend(name: Backend['kind'], open: (dataDir: string) => Promise<Backend>): BackendFactory {
  return {
    name,
    unavailable: undefined,
    announcesOtherWrites: false,
    async create() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-contract-'));
      return store(
        () => open(dir),
        async () => rmSync(dir, { recursive: true, force: true }),
      );
    },
  };
}

const postgres: BackendFactory = {
  name: 'postgres',
  unavailable: await postgresUnavailable(),
  announcesOtherWrites: true,
  async create() {
    const db = await createTestDatabase();
    return store(() => createPostgresBackend(db.url), db.drop);
  },
};

const sqlite = directoryBackend('sqlite', async (dataDir) => createSqliteBackend(openDatabase(dataDir).db, (row) => recordOf(row, 'FR')));

/** Every backend the contract suites run against. */
export const BACKENDS: BackendFactory[] = [sqlite, postgres];

/** The title of a backend's suite: its name, or why it is skipped. */
export function suiteName(factory: BackendFactory): string {
  return factory.unavailable ? `${factory.name} (skipped: ${factory.unavailable})` : factory.name;
}
