import type { QuotaGuard } from './quota';
import { ACTIONS, type Contact, type TransferFormat } from '@annuaire/protocol';
import type { ContactStore, SortKey } from '../store/contacts';
import type { SourceStore } from '../store/sources';
import { fold } from '../text/fold';
import { toIssues } from '../validation';
import { mergeContact, toContact, toRecord } from './contact-record';
import { readCsv, writeCsv } from './formats/csv';
import type { ImportCandidate } from './formats/types';
import { readVcards, writeVcard } from './formats/vcard';
import type { AuthSession } from './session';

/** A card or row left out, with a stable reason; the handler words it in the session's language. */
export interface Rejection {
  position: number;
  label: string;
  field: string;
  reason: string;
}

const EXPORT_PAGE = 1000;

/** vCard and CSV files in and out of the session's own annuaire. */
export class TransferService {
  constructor(
    private readonly contacts: ContactStore,
    private readonly sources: SourceStore,
    private readonly quota: QuotaGuard,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Every valid card or row goes in, in one transaction; the others are returned with
   * their reason, as are exact duplicates of a contact already there (same names and first
   * email or phone), so importing one file twice adds nothing the second time.
   */
  import(session: AuthSession, format: TransferFormat, data: string, dryRun: boolean) {
    const read = format === 'vcard' ? readVcards(data) : readCsv(data);
    const rejected: Rejection[] = read.problems.map((p) => ({ ...p, field: '', reason: 'unreadable' }));
    if (read.candidates.length === 0 && read.problems.length === 0) {
      rejected.push({ position: 1, label: '', field: 'data', reason: format === 'vcard' ? 'no_vcard' : 'no_csv_rows' });
    }
    const seen = new Set(this.existingKeys(session));
    const valid: { candidate: ImportCandidate; fields: ReturnType<typeof ACTIONS.add_contact.params.parse> }[] = [];
    for (const candidate of read.candidates) {
      const parsed = ACTIONS.add_contact.params.safeParse(dropEmpty(candidate.fields));
      if (!parsed.success) {
        const issue = toIssues(parsed.error)[0]!;
        rejected.push({ position: candidate.position, label: candidate.label, field: issue.field, reason: issue.reason });
        continue;
      }
      const key = duplicateKey(parsed.data.nom, parsed.data.prenom ?? '', parsed.data.emails?.[0]?.value, parsed.data.telephones?.[0]?.value);
      if (seen.has(key)) {
        rejected.push({ position: candidate.position, label: candidate.label, field: '', reason: 'duplicate' });
        continue;
      }
      seen.add(key);
      valid.push({ candidate, fields: parsed.data });
    }
    if (!dryRun && valid.length > 0) {
      const now = new Date(this.now()).toISOString();
      this.contacts.transaction(() => {
        for (const { candidate, fields } of valid) {
          const row = this.contacts.insert(session.annuaireId, toRecord(mergeContact(undefined, fields)), now);
          if (candidate.source) this.sources.save(row.id, format, candidate.source, row.version);
        }
        this.quota.enforce(session.annuaireId);
      });
    }
    return { imported: valid.length, rejected: rejected.sort((a, b) => a.position - b.position), dry_run: dryRun };
  }

  /** The whole annuaire in name order. Unchanged imported vCards come out as they came in. */
  export(session: AuthSession, format: TransferFormat) {
    const all = this.allContacts(session);
    if (format === 'csv') return { format, count: all.length, data: writeCsv(all), extension: 'csv' };
    const originals = this.sources.unchanged('vcard', session.annuaireId, new Map(all.map((c) => [c.id, c.version])));
    const data = all.map((c) => originals.get(c.id) ?? writeVcard(c)).join('');
    return { format, count: all.length, data, extension: 'vcf' };
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

/** Empty strings and empty lists mean "absent" in a file; the schema would refuse some of them. */
function dropEmpty(fields: ImportCandidate['fields']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const inner = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== ''));
      if (Object.keys(inner).length === 0) continue;
      out[key] = inner;
    } else out[key] = value;
  }
  return out;
}
