import type Database from 'better-sqlite3';
import { ContactStore } from '../store/contacts';
import { SessionStore } from '../store/sessions';
import { UserStore } from '../store/users';
import { AccountService, type SessionPolicy } from './accounts';
import { ContactService } from './contacts';
import { TransferService } from './transfer';
import { SourceStore } from '../store/sources';
import { LoginThrottle, type ThrottlePolicy } from '../auth/throttle';
import { WindowLimiter } from '../auth/rate-limit';
import { QuotaGuard, type QuotaPolicy } from './quota';

export interface Services {
  accounts: AccountService;
  contacts: ContactService;
  transfer: TransferService;
}

export function createServices(
  db: Database.Database,
  opts: {
    sessions: SessionPolicy;
    throttle: ThrottlePolicy;
    accountCreation: { perAddress: number; windowMs: number };
    quota: QuotaPolicy;
    onRevoke: (userId: number, keep: number | null) => void;
  },
): Services {
  const contactStore = new ContactStore(db);
  const quota = new QuotaGuard(contactStore, opts.quota);
  const contacts = new ContactService(contactStore, quota);
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
    transfer: new TransferService(contactStore, new SourceStore(db), quota),
  };
}
