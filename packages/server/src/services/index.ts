import type { CountryCode } from 'libphonenumber-js';
import type { SqliteDatabase } from '../store/sqlite';
import type { Backend } from '../store/backend';
import { createSqliteBackend } from '../store/sqlite-backend';
import { AccountService, type SessionPolicy } from './accounts';
import { ContactService } from './contacts';
import { recordOf } from './contact-record';
import { TransferService } from './transfer';
import { UploadSpool } from './uploads';
import { LoginThrottle, type ThrottlePolicy } from '../auth/throttle';
import { QuotaGuard, type QuotaPolicy } from './quota';
import { DeletionPurge } from '../store/purge';
import { DiskReserve } from '../store/disk-reserve';
import { ChangeFeed } from './changes';
import { DEFAULT_JOURNAL, type JournalPolicy } from '../store/rows';
import type { Revocation } from './accounts';

/** Background erasure of what a deleted account leaves in the storage (SQLite: store/purge.ts). */
export interface Purge {
  request(): void;
  stop(): Promise<void>;
}

/** Room kept for deletes when the disk fills up (SQLite: store/disk-reserve.ts). */
export type Reserve = Pick<DiskReserve, 'held' | 'release' | 'afterRequest' | 'refill'>;

export interface Services {
  accounts: AccountService;
  contacts: ContactService;
  transfer: TransferService;
  /** The change journal read back and pushed live. */
  changes: ChangeFeed;
  uploads: UploadSpool;
  /** Erases what a deleted account leaves in the file, in the background. */
  purge: Purge;
  /** Room kept on the disk for deletes (store/disk-reserve.ts). */
  reserve: Reserve;
  backend: Backend;
}

export interface ServiceOptions {
  sessions: SessionPolicy;
  throttle: ThrottlePolicy;
  accountCreation: { perAddress: number; windowMs: number };
  quota: QuotaPolicy;
  /** Sessions revoked, here or by another process on the database: end the connections using them. */
  onRevoke: (revocation: Revocation) => void;
  /** Other processes' revocations may have been missed: check every open session. */
  onRevocationsMissed?: () => void;
  /** Telling the other processes of a revocation failed (their session sweep finds it later). */
  onAnnounceError?: (err: Error) => void;
  journal?: JournalPolicy;
  onPurgeError?: (err: Error) => void;
  /** Reading other processes' writes failed (logged; the next poll tries again). */
  onPollError?: (err: Error) => void;
  /** Where the reserve file lives, and its size; none without a directory. */
  dataDir?: string;
  diskReserveBytes?: number;
  /** The region assumed for phone numbers written without a country code (config phoneRegion). */
  phoneRegion: string;
}

/** PostgreSQL keeps its own room and erases with VACUUM: nothing to do here. */
const NO_PURGE: Purge = { request: () => {}, stop: async () => {} };
const NO_RESERVE: Reserve = { held: true, release: () => {}, afterRequest: () => {}, refill: () => {} };

/** The services on the embedded SQLite database (opened by store/db.ts). */
export function createServices(db: SqliteDatabase, opts: ServiceOptions): Promise<Services> {
  const region = opts.phoneRegion as CountryCode;
  const backend = createSqliteBackend(db, (row) => recordOf(row, region));
  return createServicesOn(backend, opts, {
    purge: new DeletionPurge(db, opts.onPurgeError),
    reserve: new DiskReserve(opts.dataDir ?? '', opts.dataDir ? (opts.diskReserveBytes ?? 0) : 0, () => db.pragma('wal_checkpoint(TRUNCATE)')),
  });
}

/** The services on any backend; the search index is brought up to date before they are used. */
export async function createServicesOn(
  backend: Backend,
  opts: ServiceOptions,
  local: { purge: Purge; reserve: Reserve } = { purge: NO_PURGE, reserve: NO_RESERVE },
): Promise<Services> {
  const phoneRegion = opts.phoneRegion as CountryCode;
  const quota = new QuotaGuard(opts.quota);
  const contacts = new ContactService(backend.contacts, backend.journal, quota, phoneRegion);
  await contacts.ensureSearchIndex();
  const changes = new ChangeFeed(backend, opts.journal ?? DEFAULT_JOURNAL, Date.now, opts.onPollError);
  // A revocation ends the sessions' connections here, and on every other process sharing the database.
  const revoke = (revocation: Revocation) => {
    opts.onRevoke(revocation);
    const { origin: _origin, ...revoked } = revocation;
    backend.announceRevocation(revoked).catch((err: Error) => opts.onAnnounceError?.(err));
  };
  backend.onOtherRevocations((revoked) => (revoked ? opts.onRevoke(revoked) : opts.onRevocationsMissed?.()));
  return {
    accounts: new AccountService(
      backend.users,
      backend.sessions,
      opts.sessions,
      new LoginThrottle(opts.throttle, Date.now, backend.limits),
      { limits: backend.limits, ...opts.accountCreation },
      revoke,
    ),
    contacts,
    changes,
    transfer: new TransferService(backend.contacts, quota, phoneRegion),
    uploads: new UploadSpool(),
    purge: local.purge,
    reserve: local.reserve,
    backend,
  };
}
