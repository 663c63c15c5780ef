import { Address, ContactFields, Email, parseBirthday, Phone, requiredMaxLength, type Contact } from '@annuaire/protocol';
import type { Values } from '../components/formTypes';
import type { Translate } from '../i18n';
import { compact, fieldError } from '../lib/validation';

/**
 * The contact form's fields: nom, prénom, then one field per email and per telephone (as many as
 * the contact has, at least one each: « email », « email2 »…, the user adds and removes them), then
 * the rest; rue…pays are the address.
 */
export type ContactField = string;
export type EntryKind = 'email' | 'telephone';

const HEAD = ['nom', 'prenom'] as const;
const TAIL = ['entreprise', 'fonction', 'rue', 'code_postal', 'ville', 'pays', 'anniversaire', 'site_web', 'notes'] as const;
const PLAIN = ['nom', 'prenom', 'entreprise', 'fonction', 'anniversaire', 'site_web', 'notes'] as const;
const ADDRESS = ['rue', 'code_postal', 'ville', 'pays'] as const;
/** Each field's limit, from the protocol's schemas; a birthday is « AAAA-MM-JJ », 10 characters. */
const MAX: Record<string, number> = {
  ...Object.fromEntries((['nom', 'prenom', 'entreprise', 'fonction', 'site_web', 'notes'] as const).map((name) => [name, requiredMaxLength(ContactFields.shape[name])])),
  ...Object.fromEntries(ADDRESS.map((name) => [name, requiredMaxLength(Address.shape[name])])),
  email: requiredMaxLength(Email),
  telephone: requiredMaxLength(Phone),
  anniversaire: 'AAAA-MM-JJ'.length,
};

export const entryName = (kind: EntryKind, index: number): ContactField => (index === 0 ? kind : `${kind}${index + 1}`);

/** Which list entry a field is, or null. */
export function entryOf(name: ContactField): { kind: EntryKind; index: number } | null {
  const m = /^(email|telephone)(\d*)$/.exec(name);
  if (!m) return null;
  return { kind: m[1] as EntryKind, index: m[2] ? Number(m[2]) - 1 : 0 };
}

export function entries(values: Values<ContactField>, kind: EntryKind): string[] {
  const out: string[] = [];
  for (let i = 0; entryName(kind, i) in values; i++) out.push(values[entryName(kind, i)]!);
  return out;
}

/** `values` with `kind`'s entries replaced by `list` (at least one field stays). */
export function withEntries(values: Values<ContactField>, kind: EntryKind, list: string[]): Values<ContactField> {
  const out = Object.fromEntries(Object.entries(values).filter(([name]) => entryOf(name)?.kind !== kind));
  (list.length > 0 ? list : ['']).forEach((v, i) => (out[entryName(kind, i)] = v));
  return out;
}

/** The fields to show for these values, in order. */
export function fieldNames(values: Values<ContactField>): ContactField[] {
  const list = (kind: EntryKind) => entries(values, kind).map((_, i) => entryName(kind, i));
  return [...HEAD, ...list('email'), ...list('telephone'), ...TAIL];
}

export const maxLength = (name: ContactField) => MAX[entryOf(name)?.kind ?? name] ?? 1000;

export function contactValues(c: Contact | undefined): Values<ContactField> {
  const values: Values<ContactField> = {
    nom: c?.nom ?? '',
    prenom: c?.prenom ?? '',
    entreprise: c?.entreprise ?? '',
    fonction: c?.fonction ?? '',
    rue: c?.adresse?.rue ?? '',
    code_postal: c?.adresse?.code_postal ?? '',
    ville: c?.adresse?.ville ?? '',
    pays: c?.adresse?.pays ?? '',
    anniversaire: c?.anniversaire ?? '',
    site_web: c?.site_web ?? '',
    notes: c?.notes ?? '',
  };
  return withEntries(withEntries(values, 'email', (c?.emails ?? []).map((e) => e.value)), 'telephone', (c?.telephones ?? []).map((p) => p.value));
}

/**
 * The form's entries as the protocol's list: empty ones dropped, each keeping its type (the one of
 * the same value before, else the one of its place, else « other »).
 */
function listFrom<T extends string>(existing: { value: string; type: T }[], typed: string[], fallback: T): { value: string; type: T }[] {
  return typed.flatMap((raw, i) => {
    const value = raw.trim();
    if (!value) return [];
    return [{ value, type: existing.find((e) => e.value.trim() === value)?.type ?? existing[i]?.type ?? fallback }];
  });
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * What to send for `values` edited from `base` (nothing for a new contact): only what changed,
 * empty optional fields as null, emails and telephones as whole lists, the address as a whole
 * (its région, not in the form, kept).
 */
export function contactParams(base: Contact | undefined, values: Values<ContactField>): Partial<ContactFields> {
  const old = contactValues(base);
  const changed = (name: ContactField) => (values[name] ?? '').trim() !== (old[name] ?? '').trim();
  const out: Record<string, unknown> = {};
  for (const name of PLAIN) {
    if (!changed(name)) continue;
    const v = values[name]!.trim();
    out[name] = v === '' && name !== 'prenom' && name !== 'nom' ? null : name === 'anniversaire' ? storedBirthday(v) : v;
  }
  const trimmed = (list: string[]) => list.map((v) => v.trim()).filter(Boolean);
  for (const [kind, key] of [['email', 'emails'], ['telephone', 'telephones']] as const) {
    if (sameList(trimmed(entries(values, kind)), trimmed(entries(old, kind)))) continue;
    out[key] = listFrom<string>(base?.[key] ?? [], entries(values, kind), 'other');
  }
  if (ADDRESS.some(changed)) {
    const region = base?.adresse?.region ?? null;
    const parts = Object.fromEntries(ADDRESS.map((name) => [name, values[name]!.trim() || null]));
    out.adresse = region === null && ADDRESS.every((name) => parts[name] === null) ? null : { ...parts, region };
  }
  return out as Partial<ContactFields>;
}

/** A birthday as typed (12/04/1985, 1985-04-12, --04-12, 12/04…) in its stored form; left as typed when unreadable, for the server to refuse. */
function storedBirthday(typed: string): string {
  const parsed = parseBirthday(typed);
  return parsed.ok ? parsed.value : typed;
}

function birthdayError(typed: string | undefined, t: Translate): string | undefined {
  if (!typed?.trim()) return undefined;
  const parsed = parseBirthday(typed);
  return parsed.ok ? undefined : t(`validation.${parsed.reason}`);
}

/** The form field for a field the server names in invalid_params. */
export function formFieldFor(serverField: string): ContactField | undefined {
  const [head, index] = serverField.split('.');
  const at = index === undefined ? 0 : Number(index);
  if (head === 'emails' || head === 'email') return Number.isInteger(at) ? entryName('email', at) : undefined;
  if (head === 'telephones' || head === 'telephone') return Number.isInteger(at) ? entryName('telephone', at) : undefined;
  if (head === 'adresse') return index === undefined ? 'rue' : (ADDRESS as readonly string[]).includes(index) ? index : undefined;
  return ([...HEAD, ...TAIL] as readonly string[]).includes(head ?? '') ? head : undefined;
}

export function validate(v: Values<ContactField>, t: Translate) {
  const shape = ContactFields.shape;
  const optional = (name: ContactField, schema: Parameters<typeof fieldError>[0]) => (v[name]?.trim() ? fieldError(schema, v[name]!.trim(), t) : undefined);
  const errors: Record<ContactField, string | undefined> = {
    nom: fieldError(shape.nom, v.nom, t),
    prenom: fieldError(shape.prenom, v.prenom, t),
    entreprise: optional('entreprise', shape.entreprise),
    fonction: optional('fonction', shape.fonction),
    rue: optional('rue', Address.shape.rue),
    code_postal: optional('code_postal', Address.shape.code_postal),
    ville: optional('ville', Address.shape.ville),
    pays: optional('pays', Address.shape.pays),
    anniversaire: birthdayError(v.anniversaire, t),
    site_web: optional('site_web', shape.site_web),
    notes: optional('notes', shape.notes),
  };
  entries(v, 'email').forEach((_, i) => (errors[entryName('email', i)] = optional(entryName('email', i), Email)));
  entries(v, 'telephone').forEach((_, i) => (errors[entryName('telephone', i)] = optional(entryName('telephone', i), Phone)));
  return compact<ContactField>(errors);
}
