import { ACTIONS, EmailEntry, hasControlCharacters, parseBirthday, PhoneEntry, stripControlCharacters } from '@annuaire/protocol';
import type { z } from 'zod';
import { toIssues } from '../../validation';
import type { CardWarning, ImportCandidate } from './types';

type AddParams = z.infer<typeof ACTIONS.add_contact.params>;
const SCHEMA = ACTIONS.add_contact.params.shape;
const MAX_ENTRIES = 20;
const NAME_MAX = 100;

/** `unkept`: the vCard lines of e-mails and phones left out, for the card's extras (so the export keeps them). */
export type Admission = { ok: true; fields: AddParams; warnings: CardWarning[]; unkept: string[] } | { ok: false; reason: string };

/**
 * A card or row as a contact, the way Thunderbird, ez-vcard and sabre/vobject take them: each
 * value is checked on its own with the protocol's schema, and one that cannot be kept is left
 * out with a warning (field, reason, the value) while the card stays. The contact is named by
 * N, else FN, else ORG (a company), else NICKNAME, else its first e-mail or phone; a card
 * naming nobody is the only one refused.
 */
export function admit(candidate: ImportCandidate): Admission {
  const warnings: CardWarning[] = [...candidate.warnings];
  const c = withoutControls(candidate, warnings);
  const keep = <T>(field: string, schema: z.ZodType<T>, value: unknown): T | undefined => {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    warnings.push({ field, reason: toIssues(parsed.error)[0]?.reason ?? 'invalid_format', detail: describe(value) });
    return undefined;
  };
  const unkept: string[] = [];
  const list = <T>(field: string, schema: z.ZodType<T>, values: { value: string; type: string; line?: string }[]): T[] => {
    const out: T[] = [];
    values.forEach(({ line, ...v }, i) => {
      const kept = out.length >= MAX_ENTRIES ? undefined : keep(`${field}.${i}`, schema, v);
      if (out.length >= MAX_ENTRIES) warnings.push({ field: `${field}.${i}`, reason: 'too_many', detail: v.value });
      if (kept !== undefined) out.push(kept);
      else if (line !== undefined) unkept.push(line);
    });
    return out;
  };
  const emails = list('emails', EmailEntry, c.emails);
  const telephones = list('telephones', PhoneEntry, c.telephones);
  const entreprise = keep('entreprise', SCHEMA.entreprise, c.entreprise);

  const { family, given, formatted, nickname } = trimAll(c.names);
  let nom = family || given;
  let prenom = family ? given : '';
  if (!nom) nom = formatted || entreprise || nickname || emails[0]?.value || telephones[0]?.value || '';
  if (!nom) return { ok: false, reason: 'no_identity' };
  [nom, prenom] = [clip('nom', nom, warnings), clip('prenom', prenom ?? '', warnings)];

  const fields: AddParams = { nom, prenom, emails, telephones };
  if (entreprise) fields.entreprise = entreprise;
  const fonction = keep('fonction', SCHEMA.fonction, c.fonction);
  if (fonction) fields.fonction = fonction;
  const adresse = c.adresse && Object.values(c.adresse).some((v) => v?.trim()) ? keep('adresse', SCHEMA.adresse, c.adresse) : undefined;
  if (adresse) fields.adresse = adresse;
  if (c.anniversaire?.trim() && !NO_DATE.test(c.anniversaire.trim())) {
    const date = parseBirthday(c.anniversaire);
    if (date.ok) fields.anniversaire = date.value;
    else warnings.push({ field: 'anniversaire', reason: date.reason, detail: c.anniversaire });
  }
  const site = keep('site_web', SCHEMA.site_web, c.site_web);
  if (site) fields.site_web = site;
  const notes = keep('notes', SCHEMA.notes, c.notes);
  if (notes) fields.notes = notes;
  // The whole contact through the schema too, so that nothing reaches the store unchecked.
  const whole = ACTIONS.add_contact.params.safeParse(fields);
  if (!whole.success) return { ok: false, reason: toIssues(whole.error)[0]?.reason ?? 'invalid_format' };
  return { ok: true, fields: whole.data, warnings, unkept };
}

/**
 * The candidate with the control characters the protocol refuses (control.ts) taken out of its
 * text, each field so cleaned named in a warning: a file's stray ESC or CR costs a character,
 * not the value. Line feeds stay in the fields that have lines (notes, the street).
 */
function withoutControls(c: ImportCandidate, warnings: CardWarning[]): ImportCandidate {
  const clean = <T extends string | undefined>(field: string, value: T, multiline = false): T => {
    if (!value || !hasControlCharacters(value, { multiline })) return value;
    warnings.push({ field, reason: 'control_characters_stripped', detail: JSON.stringify(value) });
    return stripControlCharacters(value, { multiline }) as T;
  };
  const n = c.names;
  const a = c.adresse;
  return {
    ...c,
    names: { family: clean('nom', n.family), given: clean('prenom', n.given), formatted: clean('FN', n.formatted), nickname: clean('NICKNAME', n.nickname) },
    emails: c.emails.map((e, i) => ({ ...e, value: clean(`emails.${i}`, e.value) })),
    telephones: c.telephones.map((t, i) => ({ ...t, value: clean(`telephones.${i}`, t.value) })),
    entreprise: clean('entreprise', c.entreprise),
    fonction: clean('fonction', c.fonction),
    adresse: a && {
      rue: clean('adresse.rue', a.rue, true),
      code_postal: clean('adresse.code_postal', a.code_postal),
      ville: clean('adresse.ville', a.ville),
      region: clean('adresse.region', a.region),
      pays: clean('adresse.pays', a.pays),
    },
    anniversaire: clean('anniversaire', c.anniversaire),
    site_web: clean('site_web', c.site_web),
    notes: clean('notes', c.notes, true),
  };
}

const describe = (value: unknown): string =>
  typeof value === 'string' ? value : value && typeof value === 'object' && 'value' in value ? String(value.value) : JSON.stringify(value);

/** Outlook writes "0.0.00" for "no birthday". */
const NO_DATE = /^[0.\-/]+$/;

function trimAll(names: ImportCandidate['names']) {
  const t = (s?: string) => s?.trim() ?? '';
  return { family: t(names.family), given: t(names.given), formatted: t(names.formatted), nickname: t(names.nickname) };
}

/** A name longer than the schema allows is cut (with a warning) rather than losing the contact. */
function clip(field: string, value: string, warnings: CardWarning[]): string {
  if ([...value].length <= NAME_MAX) return value;
  warnings.push({ field, reason: 'truncated', detail: value });
  return [...value].slice(0, NAME_MAX).join('');
}
