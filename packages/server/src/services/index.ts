import type Database from 'better-sqlite3';
import type { CountryCode } from 'libphonenumber-js';
import { ContactStore } from '../store/contacts';
import { SessionStore } from '../store/sessions';
import { UserStore } from '../store/users';
import { AccountService, type SessionPolicy } from './accounts';
import { ContactService } from './contacts';
import { recordOf } from './contact-record';
import { TransferService } from './transfer';
import { UploadSpool } from './uploads';
import { SourceStore } from '../store/sources';
import { LoginThrottle, type ThrottlePolicy } from '../auth/throttle';
import { WindowLimiter } from './window-limiter';
import { QuotaGuard, type QuotaPolicy } from './quota';
import { DeletionPurge } from '../store/purge';
import { DiskReserve } from '../store/disk-reserve';
import { ChangeFeed } from './changes';
import { DEFAULT_JOURNAL, type JournalPolicy } from '../store/journal';
import type { Revocation } from './accounts';

export interface Services {
  accounts: AccountService;
  contacts: ContactService;
  transfer: TransferService;
  /** The change journal read back and pushed live. */
  changes: ChangeFeed;
  uploads: UploadSpool;
  /** Erases what a deleted account leaves in the file, in the background. */
  purge: DeletionPurge;
  /** Room kept on the disk for deletes (store/disk-reserve.ts). */
  reserve: DiskReserve;
}

export function createServices(
  db: Database.Database,
  opts: {
    sessions: SessionPolicy;
    throttle: ThrottlePolicy;
    accountCreation: { perAddress: number; windowMs: number };
    quota: QuotaPolicy;
    onRevoke: (revocation: Revocation) => void;
    journal?: JournalPolicy;
    onPurgeError?: (err: Error) => void;
    /** Where the reserve file lives, and its size; none without a directory. */
    dataDir?: string;
    diskReserveBytes?: number;
    /** The region assumed for phone numbers written without a country code (config phoneRegion). */
    phoneRegion: string;
  },
): Services {
  const phoneRegion = opts.phoneRegion as CountryCode;
  const contactStore = new ContactStore(db, (row) => recordOf(row, phoneRegion));
  const quota = new QuotaGuard(contactStore, opts.quota);
  const contacts = new ContactService(contactStore, quota, phoneRegion);
  contacts.ensureSearchIndex();
  const changes = new ChangeFeed(contactStore, opts.journal ?? DEFAULT_JOURNAL);
  return {
    accounts: new AccountService(
      new UserStore(db),
      new SessionStore(db),
      contactStore,
      opts.sessions,
      new LoginThrottle(opts.throttle),
      new WindowLimiter(opts.accountCreation.perAddress, opts.accountCreation.windowMs),
      opts.onRevoke,
    ),
    contacts,
    changes,
    transfer: new TransferService(contactStore, new SourceStore(db), quota, phoneRegion),
    uploads: new UploadSpool(),
    purge: new DeletionPurge(db, opts.onPurgeError),
    reserve: new DiskReserve(opts.dataDir ?? '', opts.dataDir ? (opts.diskReserveBytes ?? 0) : 0, () =>
      db.pragma('wal_checkpoint(TRUNCATE)'),
    ),
  };
}
