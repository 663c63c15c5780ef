import type { Backend } from '../backend';
import type { LogFn } from '../../log';
import { ChangeBus } from './changes';
import { PgContacts } from './contacts';
import { PgJournal } from './journal';
import { PgLimits } from './limits';
import { loadDriver } from './driver';
import { migrate } from './migrate';
import { createPool } from './pool';
import { PgSearchIndex } from './search';
import { PgSessions } from './sessions';
import { PgUsers } from './users';

export interface PostgresBackendOptions {
  /** Connections this node keeps at most (default 10), besides its one LISTEN connection. */
  poolSize?: number;
  /** How long a query waits for a connection before failing with StoreUnavailable (default 5 s). */
  connectTimeoutMs?: number;
  /** This node's name in its change announcements (default: a random UUID). */
  nodeId?: string;
  log?: LogFn;
}

/**
 * The PostgreSQL backend on a postgres:// URL: migrates the database (once, whichever
 * node starts first), opens the LISTEN connection, and resolves when both are done.
 */
export async function createPostgresBackend(url: string, options: PostgresBackendOptions = {}): Promise<Backend> {
  const driver = await loadDriver();
  const pool = createPool(driver, url, { max: options.poolSize, connectTimeoutMs: options.connectTimeoutMs });
  const bus = new ChangeBus({ driver, url, pool, nodeId: options.nodeId, connectTimeoutMs: options.connectTimeoutMs, log: options.log });
  try {
    await migrate(pool);
    await bus.start();
  } catch (err) {
    await bus.close();
    await pool.end();
    throw err;
  }
  const searchIndex = new PgSearchIndex();
  return {
    kind: 'postgres',
    users: new PgUsers(pool, searchIndex),
    sessions: new PgSessions(pool),
    contacts: new PgContacts(pool, bus, searchIndex),
    journal: new PgJournal(pool),
    limits: new PgLimits(pool),
    onCommit: (listener) => bus.onCommit(listener),
    onOtherWrites: (listener) => bus.onOtherWrites(listener),
    announceRevocation: (revoked) => bus.announceRevocation(revoked),
    onOtherRevocations: (listener) => bus.onOtherRevocations(listener),
    async close() {
      await bus.close();
      await pool.end();
    },
  };
}
