import type { CountryCode } from 'libphonenumber-js';
import type { QuotaGuard } from './quota';
import { stripControlCharacters, type Contact, type TransferFormat } from '@annuaire/protocol';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { invalidParam } from '../errors';
import type { ContactRepository } from '../store/backend';
import { sortKeyOf, type ContactRow, type SortKey } from '../store/rows';
import { fold } from '../text/fold';
import { mergeContact, parseData, toContact, toRecord } from './contact-record';
import { admit } from './formats/admit';
import { csvHeader, csvLines, csvRow, readCsvStream } from './formats/csv';
import { bufferSource, type ByteSource } from './formats/stream';
import type { ImportCandidate, VcardExtras } from './formats/types';
import { readVcardStream } from './formats/vcard';
import { legacyExtras } from './formats/vcard-extras';
import { contactUid, writeVcard, type VcardVersion } from './formats/vcard-write';
import type { AuthSession } from './session';

/** A card or row left out, or a value left out of one, with a stable reason; the handler words it. */
export interface Rejection {
  position: number;
  label: string;
  field: string;
  reason: string;
  detail?: string;
}

export interface ImportProgress {
  /** Bytes of the file read so far, of `bytes_total`. */
  bytes_read: number;
  bytes_total: number;
  imported: number;
  rejected: number;
}

export interface ImportOptions {
  charset?: string;
  dryRun: boolean;
  /** The file's size, for progress. */
  totalBytes: number;
  onProgress?: (p: ImportProgress) => void;
}

/** Contacts written per transaction at most: each batch is all-or-nothing; the event loop turns between them. */
export const IMPORT_BATCH = 500;
/**
 * What one batch, or one export page, may take of the event loop. Everyone else's requests
 * wait while it runs: a batch of 500 took 300 ms on a 2-core machine, so batches are sized
 * from the last one's cost to take about this long (README, « What the limits guarantee »).
 */
export const WORK_SLICE_MS = 20;
/** At most this many rejections and warnings are listed (all are counted). */
const LISTED = 1000;
/** An export page stops after this many contacts or this much text, whichever comes first. */
const EXPORT_PAGE = 1000;
const EXPORT_PAGE_CHARS = 512 * 1024;
/** How the extras of an imported vCard are saved beside its contact (contact_sources.format). */
const EXTRAS_FORMAT = 'vcard+extras';

/** vCard and CSV files in and out of the session's own annuaire. */
export class TransferService {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly quota: QuotaGuard,
    /** Where numbers written without a country code are assumed to be (the server's setting). */
    private readonly phoneRegion: CountryCode,
    private readonly now: () => number = Date.now,
  ) {}

  /** An import of a file held in memory (one import_contacts frame). */
  importBytes(session: AuthSession, format: TransferFormat, bytes: Uint8Array, options: Omit<ImportOptions, 'totalBytes'>) {
    return this.import(session, format, bufferSource(bytes), { ...options, totalBytes: bytes.length });
  }

  /**
   * Every card or row naming someone goes in (values that cannot be kept are left out, with a
   * warning); cards naming nobody are returned with their reason, as are exact duplicates of a
   * contact already there (same names and first email or phone), so importing one file twice
   * adds nothing the second time. The file is read as a stream and written in batches of
   * IMPORT_BATCH contacts, each in one transaction, the event loop turning between them.
   */
  async import(session: AuthSession, format: TransferFormat, source: ByteSource, options: ImportOptions) {
    const rejected: Rejection[] = [];
    const warnings: Rejection[] = [];
    const counts = { imported: 0, rejected: 0, warnings: 0, read: 0 };
    const list = (into: Rejection[], key: 'rejected' | 'warnings', r: Rejection) => {
      counts[key]++;
      if (into.length < LISTED) into.push(printable(r));
    };
    // Keys of contacts accepted in this file and not yet in the store (all of them on a dry run).
    const pendingKeys = new Set<string>();
    let pending: ImportCandidate[] = [];
    let bytesRead = 0;
    let batchSize = 50;
    const flush = async () => {
      // Sized by the CPU a contact costs this process (SQLite's writes included), not by the time
      // spent waiting on another one (PostgreSQL's round trips leave the event loop free).
      const started = process.cpuUsage();
      await this.writeBatch(session, pending, options.dryRun, pendingKeys, counts, (r) => list(rejected, 'rejected', r), (w) => list(warnings, 'warnings', w));
      const used = process.cpuUsage(started);
      const perContact = (used.user + used.system) / 1000 / Math.max(1, pending.length);
      batchSize = Math.max(1, Math.min(IMPORT_BATCH, Math.floor(WORK_SLICE_MS / Math.max(perContact, 0.001))));
      pending = [];
      options.onProgress?.({ bytes_read: bytesRead, bytes_total: options.totalBytes, imported: counts.imported, rejected: counts.rejected });
      await nextTurn();
    };
    const read = format === 'vcard' ? readVcardStream(source, options.charset) : readCsvStream(source, options.charset);
    for await (const batch of read) {
      bytesRead = batch.bytes;
      for (const p of batch.problems) list(rejected, 'rejected', { ...p, field: '' });
      for (const w of batch.warnings) list(warnings, 'warnings', w);
      for (const c of batch.candidates) {
        counts.read++;
        pending.push(c);
        if (pending.length >= batchSize) await flush();
      }
    }
    await flush();
    if (counts.read === 0 && counts.rejected === 0) {
      list(rejected, 'rejected', { position: 1, label: '', field: 'data', reason: format === 'vcard' ? 'no_vcard' : 'no_csv_rows' });
    }
    const byPosition = (a: Rejection, b: Rejection) => a.position - b.position;
    return {
      imported: counts.imported,
      rejected: rejected.sort(byPosition),
      warnings: warnings.sort(byPosition),
      rejected_total: counts.rejected,
      warnings_total: counts.warnings,
      dry_run: options.dryRun,
    };
  }

  /** Admits, deduplicates and (unless a dry run) writes one batch in one transaction. */
  private async writeBatch(
    session: AuthSession,
    batch: ImportCandidate[],
    dryRun: boolean,
    pendingKeys: Set<string>,
    counts: { imported: number },
    reject: (r: Rejection) => void,
    warn: (r: Rejection) => void,
  ): Promise<void> {
    const valid: { candidate: ImportCandidate; fields: Parameters<typeof mergeContact>[1] }[] = [];
    const admittedOnes: { candidate: ImportCandidate; admitted: Extract<ReturnType<typeof admit>, { ok: true }> }[] = [];
    for (const candidate of batch) {
      const admitted = admit(candidate);
      if (!admitted.ok) {
        reject({ position: candidate.position, label: candidate.label, field: '', reason: admitted.reason });
        continue;
      }
      for (const w of admitted.warnings) warn({ position: candidate.position, label: candidate.label, ...w });
      admittedOnes.push({ candidate, admitted });
    }
    // One look-up for the whole batch: the contacts already there under the same names.
    const names = admittedOnes.map(({ admitted: { fields: f } }) => ({ nomKey: fold(f.nom), prenomKey: fold(f.prenom ?? '') }));
    const there = new Set((await this.contacts.findByNames(session.annuaireId, names)).map(rowKey));
    for (const { candidate, admitted } of admittedOnes) {
      const f = admitted.fields;
      const key = duplicateKey(f.nom, f.prenom ?? '', f.emails?.[0]?.value, f.telephones?.[0]?.value);
      if (pendingKeys.has(key) || there.has(key)) {
        reject({ position: candidate.position, label: candidate.label, field: '', reason: 'duplicate' });
        continue;
      }
      pendingKeys.add(key);
      if (candidate.extras) {
        candidate.extras.derived = [f.nom, f.prenom ?? ''];
        // "TEL:+49 MOBIL" is no phone of ours, but it was the card's: the vCard export gives it back.
        candidate.extras.lines.push(...admitted.unkept);
      }
      valid.push({ candidate, fields: f });
    }
    counts.imported += valid.length;
    if (dryRun || valid.length === 0) return;
    const now = new Date(this.now()).toISOString();
    // Over the account's quota, the batch is rolled back whole and the import stops with quota_exceeded.
    await this.contacts.insert(
      session.annuaireId,
      valid.map(({ candidate, fields }) => ({
        record: toRecord(mergeContact(undefined, fields), this.phoneRegion),
        source: candidate.extras ? { format: EXTRAS_FORMAT, text: JSON.stringify(candidate.extras) } : undefined,
      })),
      now,
      this.quota.guard,
    );
    // Written now: the store answers for them from here on.
    pendingKeys.clear();
  }

  /**
   * One page of the annuaire in name order, and the cursor of the next (null after the last).
   * vCards carry a stable UID and, for imported cards, what the card held that no field of ours
   * does (photos, X- properties…). CSV pages share one header, sized on the first page.
   */
  async export(session: AuthSession, format: TransferFormat, version: VcardVersion = '3.0', cursor?: string, ids?: number[]) {
    if (cursor && ids) throw invalidParam('cursor', 'cursor_and_ids');
    const only = ids ? (await this.contacts.getMany(session.annuaireId, ids)) : undefined;
    const started = performance.now();
    const width = only ? widest(only) : undefined;
    // Only CSV needs the widest lists (its header has as many columns as the widest contact needs).
    const widths = async () => (format === 'csv' ? await this.contacts.widestLists(session.annuaireId) : { emails: 1, phones: 1 });
    const at = cursor ? decodeCursor(cursor) : { after: undefined as SortKey | undefined, width: width ?? (await widths()) };
    const rows = only ?? (await this.contacts.list(session.annuaireId, 'nom', EXPORT_PAGE, at.after));
    const extras = format === 'vcard' ? await this.extrasOf(rows.map((r) => r.id)) : new Map<number, VcardExtras>();
    const parts: string[] = [];
    if (format === 'csv' && !cursor) parts.push(csvLines([csvHeader(at.width.emails, at.width.phones)]));
    let size = 0;
    let taken = 0;
    for (const row of rows) {
      const c: Contact = toContact(row);
      const text =
        format === 'csv'
          ? csvLines([csvRow(c, at.width.emails, at.width.phones)])
          : writeVcard(c, contactUid(session.annuaireId, c, extras.get(c.id)), version, extras.get(c.id));
      parts.push(text);
      size += text.length;
      taken++;
      // Out of time: the page ends here (past a first hundred, so that a machine under load
      // still sends a small annuaire in one page).
      if (size >= EXPORT_PAGE_CHARS || (taken >= 100 && performance.now() - started > WORK_SLICE_MS)) break;
    }
    const last = rows[taken - 1];
    const more = !only && last !== undefined && (taken < rows.length || rows.length === EXPORT_PAGE);
    return {
      format,
      count: taken,
      total: await this.contacts.count(session.annuaireId),
      data: parts.join(''),
      extension: format === 'vcard' ? 'vcf' : 'csv',
      next_cursor: more ? encodeCursor({ after: sortKeyOf(last, 'nom'), width: at.width }) : null,
    };
  }

  private async extrasOf(ids: number[]): Promise<Map<number, VcardExtras>> {
    const out = new Map<number, VcardExtras>();
    for (const [id, text] of await this.contacts.sources(EXTRAS_FORMAT, ids)) out.set(id, JSON.parse(text) as VcardExtras);
    // Cards imported before extras were kept apart: their whole text was saved; take what no field holds.
    for (const [id, text] of await this.contacts.sources('vcard', ids)) if (!out.has(id)) out.set(id, legacyExtras(text));
    return out;
  }
}

interface ExportCursor {
  after: SortKey | undefined;
  width: { emails: number; phones: number };
}

const encodeCursor = (c: ExportCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(cursor: string): ExportCursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as ExportCursor;
    if (Array.isArray(c.after) && Number.isInteger(c.width?.emails) && Number.isInteger(c.width?.phones)) return c;
  } catch {}
  throw invalidCursor();
}

const invalidCursor = () => invalidParam('cursor', 'cursor_invalid');

function widest(rows: ContactRow[]): { emails: number; phones: number } {
  const data = rows.map(parseData);
  return { emails: Math.max(1, ...data.map((d) => d.emails.length)), phones: Math.max(1, ...data.map((d) => d.telephones.length)) };
}

/** What a report quotes from a file (a label, a junk line, a value) reaches a terminal: no control characters. */
function printable(r: Rejection): Rejection {
  const p = (t: string) => stripControlCharacters(t, { multiline: false });
  return { ...r, label: p(r.label), field: p(r.field), ...(r.detail !== undefined ? { detail: p(r.detail) } : {}) };
}

function rowKey(row: ContactRow): string {
  const d = parseData(row);
  return duplicateKey(row.nom, row.prenom, d.emails[0]?.value, d.telephones[0]?.value);
}

function duplicateKey(nom: string, prenom: string, email?: string, phone?: string): string {
  return [fold(nom.trim()), fold(prenom.trim()), (email ?? '').toLowerCase(), (phone ?? '').replace(/\D/g, '')].join('\u0000');
}
