import type { CountryCode } from 'libphonenumber-js';
import type { QuotaGuard } from './quota';
import type { Contact, TransferFormat } from '@annuaire/protocol';
import type { ContactStore, SortKey } from '../store/contacts';
import type { SourceStore } from '../store/sources';
import { fold } from '../text/fold';
import { mergeContact, toContact, toRecord } from './contact-record';
import { admit } from './formats/admit';
import { writeCsv } from './formats/csv';
import type { CardWarning, ImportCandidate, ReadProblem, VcardExtras } from './formats/types';
import { readCsv } from './formats/csv';
import { readVcards } from './formats/vcard';
import { contactUid, writeVcard, type VcardVersion } from './formats/vcard-write';
import { legacyExtras } from './formats/vcard-extras';
import type { AuthSession } from './session';

/** A card or row left out, or a value left out of one, with a stable reason; the handler words it. */
export interface Rejection {
  position: number;
  label: string;
  field: string;
  reason: string;
  detail?: string;
}

const EXPORT_PAGE = 1000;
/** How the extras of an imported vCard are saved beside its contact (contact_sources.format). */
const EXTRAS_FORMAT = 'vcard+extras';

export type ImportInput = { data: string } | { bytes: Uint8Array; charset?: string };

/** vCard and CSV files in and out of the session's own annuaire. */
export class TransferService {
  constructor(
    private readonly contacts: ContactStore,
    private readonly sources: SourceStore,
    private readonly quota: QuotaGuard,
    /** Where numbers written without a country code are assumed to be (the server's setting). */
    private readonly phoneRegion: CountryCode,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Every card or row naming someone goes in (values that cannot be kept are left out, with a
   * warning); cards naming nobody are returned with their reason, as are exact duplicates of a
   * contact already there (same names and first email or phone), so importing one file twice
   * adds nothing the second time.
   */
  import(session: AuthSession, format: TransferFormat, input: ImportInput, dryRun: boolean) {
    const bytes = 'bytes' in input ? input.bytes : Buffer.from(input.data, 'utf8');
    const charset = 'bytes' in input ? input.charset : undefined;
    const read: { candidates: ImportCandidate[]; problems: ReadProblem[]; warnings?: Rejection[] } =
      format === 'vcard' ? readVcards(bytes, charset) : readCsv(bytes, charset);
    const rejected: Rejection[] = read.problems.map((p) => ({ ...p, field: '' }));
    const warnings: Rejection[] = [...(read.warnings ?? [])];
    if (read.candidates.length === 0 && read.problems.length === 0) {
      rejected.push({ position: 1, label: '', field: 'data', reason: format === 'vcard' ? 'no_vcard' : 'no_csv_rows' });
    }
    const seen = new Set(this.existingKeys(session));
    const valid: { candidate: ImportCandidate; fields: Parameters<typeof mergeContact>[1] }[] = [];
    for (const candidate of read.candidates) {
      const at = (w: CardWarning) => ({ position: candidate.position, label: candidate.label, ...w });
      const admitted = admit(candidate);
      if (!admitted.ok) {
        rejected.push(at({ field: '', reason: admitted.reason }));
        continue;
      }
      warnings.push(...admitted.warnings.map(at));
      const f = admitted.fields;
      const key = duplicateKey(f.nom, f.prenom ?? '', f.emails?.[0]?.value, f.telephones?.[0]?.value);
      if (seen.has(key)) {
        rejected.push(at({ field: '', reason: 'duplicate' }));
        continue;
      }
      seen.add(key);
      if (candidate.extras) candidate.extras.derived = [f.nom, f.prenom ?? ''];
      valid.push({ candidate, fields: f });
    }
    if (!dryRun && valid.length > 0) {
      const now = new Date(this.now()).toISOString();
      this.contacts.transaction(() => {
        for (const { candidate, fields } of valid) {
          const row = this.contacts.insert(session.annuaireId, toRecord(mergeContact(undefined, fields), this.phoneRegion), now);
          if (candidate.extras) this.sources.save(row.id, EXTRAS_FORMAT, JSON.stringify(candidate.extras), row.version);
        }
        this.quota.enforce(session.annuaireId);
      });
    }
    const byPosition = (a: Rejection, b: Rejection) => a.position - b.position;
    return { imported: valid.length, rejected: rejected.sort(byPosition), warnings: warnings.sort(byPosition), dry_run: dryRun };
  }

  /**
   * The whole annuaire in name order. vCards carry a stable UID and, for imported cards,
   * everything the card held that no field of ours does (photos, X- properties…).
   */
  export(session: AuthSession, format: TransferFormat, version: VcardVersion = '3.0') {
    const all = this.allContacts(session);
    if (format === 'csv') return { format, count: all.length, data: writeCsv(all), extension: 'csv' };
    const extras = this.extrasOf(session.annuaireId);
    const data = all.map((c) => writeVcard(c, contactUid(session.annuaireId, c, extras.get(c.id)), version, extras.get(c.id))).join('');
    return { format, count: all.length, data, extension: 'vcf' };
  }

  private extrasOf(annuaireId: number): Map<number, VcardExtras> {
    const out = new Map<number, VcardExtras>();
    for (const [id, text] of this.sources.all(EXTRAS_FORMAT, annuaireId)) out.set(id, JSON.parse(text) as VcardExtras);
    // Cards imported before extras were kept apart: their whole text was saved; take what no field holds.
    for (const [id, text] of this.sources.all('vcard', annuaireId)) if (!out.has(id)) out.set(id, legacyExtras(text));
    return out;
  }

  private allContacts(session: AuthSession): Contact[] {
    const out: Contact[] = [];
    let after: SortKey | undefined;
    for (;;) {
      const rows = this.contacts.list(session.annuaireId, 'nom', EXPORT_PAGE, after);
      out.push(...rows.map(toContact));
      const last = rows.at(-1);
      if (!last || rows.length < EXPORT_PAGE) return out;
      after = this.contacts.sortKeyOf(last, 'nom');
    }
  }

  private existingKeys(session: AuthSession): string[] {
    return this.allContacts(session).map((c) => duplicateKey(c.nom, c.prenom, c.email ?? undefined, c.telephone ?? undefined));
  }
}

function duplicateKey(nom: string, prenom: string, email?: string, phone?: string): string {
  return [fold(nom.trim()), fold(prenom.trim()), (email ?? '').toLowerCase(), (phone ?? '').replace(/\D/g, '')].join('\u0000');
}
