import { sortKey, type Contact, type ContactFields } from '@annuaire/protocol';
import { invalidParam } from '../errors';
import type { ContactRecord, ContactRow } from '../store/contacts';
import { fold } from '../text/fold';
import type { CountryCode } from 'libphonenumber-js';
import { phoneSearchTokens } from '../text/phone';
import { vocabularyWords } from '../text/words';

/** The contact fields stored as JSON beside nom and prénom. */
export interface ContactData {
  emails: Contact['emails'];
  telephones: Contact['telephones'];
  entreprise: string | null;
  fonction: string | null;
  adresse: Contact['adresse'];
  anniversaire: string | null;
  site_web: string | null;
  notes: string | null;
}

/** Parsed fields, as the protocol's zod schema outputs them (defaults applied). */
type Fields = Partial<Omit<ContactFields, 'prenom'>> & { prenom?: string };

const EMPTY: ContactData = {
  emails: [],
  telephones: [],
  entreprise: null,
  fonction: null,
  adresse: null,
  anniversaire: null,
  site_web: null,
  notes: null,
};

/** Blank optional text means "no value": stored as null, never as "". */
const orNull = (s: string | null | undefined) => (s == null || s.trim() === '' ? null : s);

/**
 * Applies `fields` over `base` (the stored contact, or nothing for a new one).
 * Keys absent from `fields` keep their value; null clears. `email`/`telephone`
 * replace the first entry of their list, as the seed's single values.
 */
export function mergeContact(base: { nom: string; prenom: string; data: ContactData } | undefined, fields: Fields) {
  if (fields.email !== undefined && fields.emails !== undefined) throw invalidParam('email', 'email_and_emails');
  if (fields.telephone !== undefined && fields.telephones !== undefined) {
    throw invalidParam('telephone', 'telephone_and_telephones');
  }
  const data: ContactData = { ...(base?.data ?? EMPTY) };
  if (fields.emails !== undefined) data.emails = fields.emails.map((e) => ({ value: e.value, type: e.type ?? 'other' }));
  if (fields.email !== undefined) data.emails = replaceFirst(data.emails, fields.email, 'other');
  if (fields.telephones !== undefined) {
    data.telephones = fields.telephones.map((t) => ({ value: t.value, type: t.type ?? 'other' }));
  }
  if (fields.telephone !== undefined) data.telephones = replaceFirst(data.telephones, fields.telephone, 'mobile');
  for (const key of ['entreprise', 'fonction', 'anniversaire', 'site_web', 'notes'] as const) {
    if (fields[key] !== undefined) data[key] = orNull(fields[key]);
  }
  if (fields.adresse !== undefined) data.adresse = normalizeAddress(fields.adresse);
  return { nom: fields.nom ?? base?.nom ?? '', prenom: fields.prenom ?? base?.prenom ?? '', data };
}

function replaceFirst<T extends string>(list: { value: string; type: T }[], value: string | null, type: T) {
  if (value === null || value.trim() === '') return list.slice(1);
  return [{ value, type: list[0]?.type ?? type }, ...list.slice(1)];
}

function normalizeAddress(a: Contact['adresse'] | undefined): Contact['adresse'] {
  if (!a) return null;
  const out = {
    rue: orNull(a.rue),
    code_postal: orNull(a.code_postal),
    ville: orNull(a.ville),
    region: orNull(a.region),
    pays: orNull(a.pays),
  };
  return Object.values(out).some((v) => v !== null) ? out : null;
}

/** What the store writes: sort keys and the folded search text are derived here, in one place. */
export function toRecord(c: { nom: string; prenom: string; data: ContactData }, phoneRegion: CountryCode): ContactRecord {
  const d = c.data;
  const other = [
    ...d.emails.map((e) => e.value),
    ...d.telephones.flatMap((t) => phoneSearchTokens(t.value, phoneRegion)),
    d.entreprise,
    d.fonction,
    d.site_web,
    d.notes,
    ...(d.adresse ? Object.values(d.adresse) : []),
  ];
  const searchNames = fold(`${c.nom} ${c.prenom}`);
  const searchOther = fold(other.filter(Boolean).join(' '));
  return {
    nom: c.nom,
    prenom: c.prenom,
    nomKey: sortKey(c.nom),
    prenomKey: sortKey(c.prenom),
    data: JSON.stringify(d),
    searchNames,
    searchOther,
    vocabulary: vocabularyWords(`${searchNames} ${searchOther}`),
  };
}

/** The record of a stored row, as it was written. */
export function recordOf(row: ContactRow, phoneRegion: CountryCode): ContactRecord {
  return toRecord({ nom: row.nom, prenom: row.prenom, data: parseData(row) }, phoneRegion);
}

export function parseData(row: ContactRow): ContactData {
  return { ...EMPTY, ...(JSON.parse(row.data) as Partial<ContactData>) };
}

/** The protocol's Contact shape. */
export function toContact(row: ContactRow): Contact {
  const d = parseData(row);
  return {
    id: row.id,
    nom: row.nom,
    prenom: row.prenom,
    email: d.emails[0]?.value ?? null,
    telephone: d.telephones[0]?.value ?? null,
    ...d,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
