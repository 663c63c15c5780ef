import type { SessionEndReason } from '@annuaire/protocol';

/** The shapes every backend stores and returns (store/backend.ts), whatever its engine. */

export interface ContactRow {
  id: number;
  nom: string;
  prenom: string;
  nom_key: string;
  prenom_key: string;
  data: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** What the service hands the store to write: display values, sort keys, the JSON rest and the search text. */
export interface ContactRecord {
  nom: string;
  prenom: string;
  nomKey: string;
  prenomKey: string;
  data: string;
  /** Folded text of the names, for the search index. */
  searchNames: string;
  /** Folded text of every other field, for the search index. */
  searchOther: string;
  /** Words typo correction may suggest for this contact. */
  vocabulary: string[];
}

export interface AnnuaireUsage {
  contacts: number;
  /** UTF-8 bytes of the contacts and of imported cards' original text. */
  bytes: number;
}

/** A committed write, as the change feed hears of it: the row as written, or none for a deletion. */
export interface CommittedChange {
  annuaireId: number;
  seq: number;
  contactId: number;
  row: ContactRow | null;
}

export type SortOrder = 'nom' | 'prenom' | 'created_at' | 'updated_at';

/** Keyset pagination: each order's key columns, ending with id so that the order is total. */
export const SORT_KEYS: Record<SortOrder, string[]> = {
  nom: ['nom_key', 'prenom_key', 'id'],
  prenom: ['prenom_key', 'nom_key', 'id'],
  created_at: ['created_at', 'id'],
  updated_at: ['updated_at', 'id'],
};
export type SortKey = (string | number)[];


/** The position of `row` in `order`, from which a cursor resumes. */
export function sortKeyOf(row: ContactRow, order: SortOrder): SortKey {
  return SORT_KEYS[order].map((k) => row[k as keyof ContactRow]);
}

/** One entry of an annuaire's journal: a contact's last change. */
export interface JournalEntry {
  seq: number;
  contactId: number;
  deleted: boolean;
}

export interface JournalHead {
  /** The last sequence number given in the annuaire. */
  seq: number;
  /** The highest seq trimmed: a client that has seen less than this must reload. */
  floor: number;
}

/** How long and how many tombstones an annuaire keeps (changed contacts keep their one entry). */
export interface JournalPolicy {
  /** A tombstone older than this is trimmed (a client away longer reloads). */
  tombstoneMaxAgeMs: number;
  /** Past this many tombstones in one annuaire, the oldest are trimmed. */
  maxTombstonesPerAnnuaire: number;
  /** How often the trim runs, off the request path. */
  trimEveryMs: number;
  /** Rows one trim step deletes: each step is one short transaction, so writers never wait long. */
  trimStepRows: number;
  /** How often the journal is read for writes made by another server process on the same database. */
  pollOthersMs: number;
}

export const DEFAULT_JOURNAL: JournalPolicy = {
  // A client away a month catches up without reloading; two months to be safe.
  tombstoneMaxAgeMs: 62 * 24 * 3600_000,
  maxTombstonesPerAnnuaire: 100_000,
  trimEveryMs: 10 * 60_000,
  trimStepRows: 500,
  pollOthersMs: 1000,
};

/**
 * Sessions just revoked: every one of `userId` but `keepSessionId`, or only `sessionId`.
 * Told to the user's connections on every server process sharing the database.
 */
export interface RevokedSessions {
  userId: number;
  reason: SessionEndReason;
  keepSessionId?: number | null;
  sessionId?: number;
}

export interface SessionRow {
  id: number;
  user_id: number;
  created_at: number;
  last_used_at: number;
}

export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  created_at: string;
  annuaire_id: number;
}
