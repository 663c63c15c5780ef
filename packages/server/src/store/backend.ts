import type {
  AnnuaireUsage,
  CommittedChange,
  ContactRecord,
  ContactRow,
  JournalEntry,
  JournalHead,
  JournalPolicy,
  RevokedSessions,
  SessionRow,
  SortKey,
  SortOrder,
  UserRow,
} from './rows';

/**
 * The storage boundary. The services hold every rule and talk only to this interface;
 * each backend (SQLite in the data directory, PostgreSQL at a URL) implements it in its
 * own folder with its own migrations. Every method that writes is one transaction of its
 * own: the services never hold a transaction open across an await. Rules that must hold
 * inside a write (the quota) are passed in as a synchronous guard, which may throw to
 * roll the write back.
 */
export interface Backend {
  readonly kind: 'sqlite' | 'postgres';
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly contacts: ContactRepository;
  readonly journal: JournalRepository;
  /** Password-check throttle and account-creation counts, shared by every node on the database. */
  readonly limits: LimitRepository;
  /** Told of the changes each write of this process committed, once committed (the change feed listens). */
  onCommit(listener: (changes: CommittedChange[]) => void): void;
  /**
   * Told when another process committed writes to an annuaire (PostgreSQL: LISTEN/NOTIFY,
   * within milliseconds). SQLite never calls it: the change feed polls the journal's heads.
   */
  onOtherWrites(listener: (annuaireId: number, seq: number) => void): void;
  /**
   * Tells the other processes on the database that sessions were revoked, so that their
   * connections using them end at once (PostgreSQL: NOTIFY). SQLite does nothing: the
   * server's periodic session sweep finds them.
   */
  announceRevocation(revoked: RevokedSessions): Promise<void>;
  /**
   * Told of the revocations other processes announced; `null` when announcements may have
   * been missed (the LISTEN connection was lost): every open session is to be checked.
   */
  onOtherRevocations(listener: (revoked: RevokedSessions | null) => void): void;
  close(): Promise<void>;
}

export interface UserRepository {
  findByKey(usernameKey: string): Promise<UserRow | undefined>;
  findById(id: number): Promise<UserRow | undefined>;
  /** Creates the user and their annuaire together; throws UsernameTaken when the key is in use. */
  create(username: string, usernameKey: string, passwordHash: string, now: string): Promise<UserRow>;
  setPasswordHash(userId: number, hash: string): Promise<void>;
  contactCount(annuaireId: number): Promise<number>;
  /** Deletes the user, their annuaire, contacts, sessions, journal and search entries. */
  delete(userId: number): Promise<void>;
}

export interface SessionRepository {
  /**
   * Opens a session only while the user still has `passwordHash`: a login checked against a
   * password changed (or an account deleted) meanwhile opens nothing (undefined). Atomic with
   * the change: a session opened before it is revoked by it.
   */
  create(userId: number, tokenHash: string, now: number, passwordHash: string): Promise<number | undefined>;
  find(tokenHash: string): Promise<SessionRow | undefined>;
  findById(id: number): Promise<SessionRow | undefined>;
  touch(id: number, now: number): Promise<void>;
  delete(id: number): Promise<void>;
  /** Every session of the user but `keepId` (null: all of them). */
  deleteOthers(userId: number, keepId: number | null): Promise<void>;
  deleteExpired(idleBefore: number, createdBefore: number): Promise<void>;
}

/** Checks an annuaire's usage after a write, in its transaction: throwing rolls the write back. */
export type UsageGuard = (after: AnnuaireUsage, before: AnnuaireUsage) => void;

/** A contact to insert, with the original text of the card it came from (imports). */
export interface NewContact {
  record: ContactRecord;
  source?: { format: string; text: string };
}

export interface SearchResult {
  /** The page, best rank first, by nom, prénom, id inside a rank. */
  rows: ContactRow[];
  /** Matches counted, exact up to EXACT_TOTAL_UP_TO. */
  total: number;
  totalIsLowerBound: boolean;
}

export interface ContactRepository {
  /** Inserts all of `contacts` in one transaction (journaled, indexed), or none when `guard` throws. */
  insert(annuaireId: number, contacts: NewContact[], now: string, guard?: UsageGuard): Promise<ContactRow[]>;
  /** Writes only if the stored version is still `expectedVersion`; undefined on conflict or when gone. */
  update(
    annuaireId: number,
    id: number,
    expectedVersion: number,
    record: ContactRecord,
    now: string,
    guard?: UsageGuard,
  ): Promise<ContactRow | undefined>;
  delete(annuaireId: number, id: number, now: string): Promise<boolean>;
  get(annuaireId: number, id: number): Promise<ContactRow | undefined>;
  /** The rows of `ids` that belong to the annuaire, in the order of `ids`. */
  getMany(annuaireId: number, ids: number[]): Promise<ContactRow[]>;
  count(annuaireId: number): Promise<number>;
  usage(annuaireId: number): Promise<AnnuaireUsage>;
  /** A page after a keyset position (see sortKeyOf). */
  list(annuaireId: number, order: SortOrder, limit: number, after?: SortKey): Promise<ContactRow[]>;
  /** A page by position. */
  listPage(annuaireId: number, limit: number, offset: number, order?: SortOrder): Promise<ContactRow[]>;
  /** Exact nom and prénom keys; an empty prénom key: every contact of that nom, by prénom. */
  findByName(annuaireId: number, nomKey: string, prenomKey: string): Promise<ContactRow[]>;
  /** The contacts whose nom and prénom keys are exactly one of these pairs (the import's duplicate check, a batch at a time). */
  findByNames(annuaireId: number, names: { nomKey: string; prenomKey: string }[]): Promise<ContactRow[]>;
  /** The most e-mails and phones any one contact has (at least 1 each). */
  widestLists(annuaireId: number): Promise<{ emails: number; phones: number }>;
  /** contact id → saved source text in `format`. */
  sources(format: string, ids: number[]): Promise<Map<number, string>>;
  /**
   * Free-text search of folded query words (services/search.ts queryWords), ranked in the
   * tiers of services/search.ts planSearch, whatever the backend's means.
   */
  search(annuaireId: number, words: string[], limit: number, offset: number): Promise<SearchResult>;
  /** Rebuilds the search index from the contacts if it was derived by older rules. */
  ensureSearchIndex(derive: (row: ContactRow) => ContactRecord): Promise<void>;
}

/** A page of the journal read in one snapshot with the rows it names. */
export interface JournalPage {
  head: JournalHead;
  entries: JournalEntry[];
  /** The current rows of the entries not deleted. */
  rows: Map<number, ContactRow>;
}

export interface JournalRepository {
  head(annuaireId: number): Promise<JournalHead>;
  heads(annuaireIds: number[]): Promise<Map<number, number>>;
  /** Entries after `seq` (at most `limit`), with their rows, and the head, in one snapshot. */
  since(annuaireId: number, seq: number, limit: number): Promise<JournalPage>;
  /** One trim step (see JournalPolicy); resolves with the rows trimmed. */
  trimStep(policy: JournalPolicy, now: number): Promise<number>;
}

/** A throttle key's shared state (see auth/throttle.ts). */
export interface ThrottleEntry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

export interface LimitRepository {
  /** The entries of these keys (absent: never failed, or forgotten). */
  throttleEntries(keys: string[]): Promise<Map<string, ThrottleEntry>>;
  /** Counts a failure for each key atomically; `lockFor(failures)` gives the lock length. */
  recordFailures(keys: string[], now: number, lockFor: (failures: number) => number, forgetAfterMs: number): Promise<void>;
  /** Forgets a key (a successful login resets its username). */
  clear(key: string): Promise<void>;
  /**
   * Records an event for `key` if fewer than `limit` happened within `windowMs`: 0; else the
   * milliseconds until one is allowed (account creations per address).
   */
  takeWindow(key: string, limit: number, windowMs: number, now: number): Promise<number>;
}

/**
 * The database cannot be reached (PostgreSQL restarting, the network down): the request did
 * nothing, and may be tried again. Answered as `unavailable` with a retry hint.
 */
export class StoreUnavailable extends Error {
  constructor(
    cause: unknown,
    /** How long a client should wait before trying again. */
    readonly retryAfterMs = 1000,
  ) {
    super(`database unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StoreUnavailable';
  }
}

/** The username key is in use (a unique-constraint violation, in either backend's words). */
export class UsernameTaken extends Error {
  constructor() {
    super('username taken');
  }
}
