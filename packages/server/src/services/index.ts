import type Database from 'better-sqlite3';
import { ContactStore } from '../store/contacts';
import { SessionStore } from '../store/sessions';
import { UserStore } from '../store/users';
import { AccountService, type SessionPolicy } from './accounts';
import { ContactService } from './contacts';
import { TransferService } from './transfer';
import { UploadSpool } from './uploads';
import { SourceStore } from '../store/sources';
import { LoginThrottle, type ThrottlePolicy } from '../auth/throttle';
import { WindowLimiter } from '../auth/rate-limit';

export interface Services {
  accounts: AccountService;
  contacts: ContactService;
  transfer: TransferService;
  uploads: UploadSpool;
}

export function createServices(
  db: Database.Database,
  opts: {
    sessions: SessionPolicy;
    throttle: ThrottlePolicy;
    accountCreation: { perAddress: number; windowMs: number };
    onRevoke: (userId: number, keep: number | null) => void;
  },
): Services {
  const contactStore = new ContactStore(db);
  const contacts = new ContactService(contactStore);
  contacts.ensureSearchIndex();
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
    transfer: new TransferService(contactStore, new SourceStore(db)),
    uploads: new UploadSpool(),
  };
}
