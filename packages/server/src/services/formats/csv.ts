import type { Contact } from '@annuaire/protocol';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { fold } from '../../text/fold';
import { normalizeBirthday } from './birthday';
import type { ImportCandidate, ReadProblem } from './types';

type Column =
  | 'nom' | 'prenom' | 'email' | 'email2' | 'telephone' | 'telephone_travail' | 'telephone_domicile'
  | 'entreprise' | 'fonction' | 'rue' | 'code_postal' | 'ville' | 'region' | 'pays'
  | 'anniversaire' | 'site_web' | 'notes';

/**
 * Header names we recognise, folded (lowercase, no accents, no punctuation): our own export,
 * French spreadsheets, and the usual Google / Outlook / Apple exports.
 */
const HEADERS: Record<string, Column> = {};
const alias = (column: Column, ...names: string[]) => {
  for (const name of [column, ...names]) HEADERS[headerKey(name)] = column;
};
alias('nom', 'nom de famille', 'last name', 'family name', 'surname');
alias('prenom', 'first name', 'given name');
alias('email', 'e-mail', 'courriel', 'mail', 'email address', 'e-mail address', 'e-mail 1 - value', 'adresse e-mail');
alias('email2', 'e-mail 2', 'e-mail 2 address', 'e-mail 2 - value');
alias('telephone', 'téléphone', 'tel', 'phone', 'mobile', 'portable', 'mobile phone', 'phone 1 - value', 'téléphone mobile');
alias('telephone_travail', 'téléphone travail', 'business phone', 'work phone', 'phone 2 - value');
alias('telephone_domicile', 'téléphone domicile', 'home phone');
alias('entreprise', 'société', 'societe', 'company', 'organization', 'organisation', 'organization 1 - name');
alias('fonction', 'poste', 'title', 'job title', 'organization 1 - title');
alias('rue', 'adresse', 'address', 'street', 'home street', 'address 1 - street');
alias('code_postal', 'cp', 'postal code', 'zip', 'zip code', 'home postal code', 'address 1 - postal code');
alias('ville', 'city', 'home city', 'address 1 - city');
alias('region', 'région', 'state', 'province', 'address 1 - region');
alias('pays', 'country', 'home country/region', 'address 1 - country');
alias('anniversaire', 'date de naissance', 'birthday', 'birth date');
alias('site_web', 'site', 'site web', 'web page', 'website', 'url');
alias('notes', 'note', 'remarques', 'commentaire');

function headerKey(name: string): string {
  return fold(name).replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * Reads a CSV file with a header row; "," or ";" separated (French spreadsheets use ";"),
 * with or without a byte-order mark. Unknown columns are ignored.
 */
export function readCsv(text: string): { candidates: ImportCandidate[]; problems: ReadProblem[]; unknownColumns: string[] } {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, delimiter: [',', ';'], relax_column_count: true, skip_empty_lines: true, info: true }) as never;
  } catch (err) {
    return { candidates: [], problems: [{ position: 1, label: '', reason: (err as Error).message }], unknownColumns: [] };
  }
  const [header, ...body] = rows;
  if (!header) return { candidates: [], problems: [], unknownColumns: [] };
  const columns = header.record.map((name) => HEADERS[headerKey(name)]);
  const unknownColumns = header.record.filter((_, i) => columns[i] === undefined);
  const candidates = body.map(({ record, info }) => {
    const row: Partial<Record<Column, string>> = {};
    record.forEach((value, i) => {
      const column = columns[i];
      if (column && value.trim() !== '' && row[column] === undefined) row[column] = value.trim();
    });
    return { position: info.lines, label: [row.nom, row.prenom].filter(Boolean).join(' '), fields: toFields(row) };
  });
  return { candidates, problems: [], unknownColumns };
}

function toFields(row: Partial<Record<Column, string>>): ImportCandidate['fields'] {
  const emails = [row.email, row.email2].filter(Boolean).map((value) => ({ value, type: 'other' }));
  const telephones = [
    row.telephone && { value: row.telephone, type: 'mobile' },
    row.telephone_travail && { value: row.telephone_travail, type: 'work' },
    row.telephone_domicile && { value: row.telephone_domicile, type: 'home' },
  ].filter(Boolean);
  const address = { rue: row.rue, code_postal: row.code_postal, ville: row.ville, region: row.region, pays: row.pays };
  return {
    nom: row.nom ?? row.entreprise ?? '',
    prenom: row.prenom ?? '',
    emails,
    telephones,
    entreprise: row.entreprise,
    fonction: row.fonction,
    adresse: Object.values(address).some(Boolean) ? address : undefined,
    anniversaire: row.anniversaire && normalizeBirthday(row.anniversaire),
    site_web: row.site_web,
    notes: row.notes,
  };
}

const EXPORT_COLUMNS: Column[] = [
  'nom', 'prenom', 'email', 'email2', 'telephone', 'telephone_travail', 'telephone_domicile', 'entreprise',
  'fonction', 'rue', 'code_postal', 'ville', 'region', 'pays', 'anniversaire', 'site_web', 'notes',
];

/** Writes contacts with our own column names, so that an export imports back unchanged. */
export function writeCsv(contacts: Iterable<Contact>): string {
  const rows: string[][] = [EXPORT_COLUMNS];
  for (const c of contacts) {
    const phone = (type: string) => c.telephones.find((t) => t.type === type)?.value ?? '';
    const mobile = c.telephones.find((t) => t.type !== 'work' && t.type !== 'home')?.value ?? '';
    const a = c.adresse ?? {};
    rows.push([
      c.nom, c.prenom, c.emails[0]?.value ?? '', c.emails[1]?.value ?? '', mobile, phone('work'), phone('home'),
      c.entreprise ?? '', c.fonction ?? '', a.rue ?? '', a.code_postal ?? '', a.ville ?? '', a.region ?? '', a.pays ?? '',
      c.anniversaire ?? '', c.site_web ?? '', c.notes ?? '',
    ]);
  }
  return stringify(rows, { record_delimiter: '\r\n' });
}
