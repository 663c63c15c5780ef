import { ACTIONS, EmailEntry, parseBirthday, PhoneEntry } from '@annuaire/protocol';
import type { z } from 'zod';
import { toIssues } from '../../validation';
import type { CardWarning, ImportCandidate } from './types';

type AddParams = z.infer<typeof ACTIONS.add_contact.params>;
const SCHEMA = ACTIONS.add_contact.params.shape;
const MAX_ENTRIES = 20;
const NAME_MAX = 100;

export type Admission = { ok: true; fields: AddParams; warnings: CardWarning[] } | { ok: false; reason: string };

/**
 * A card or row as a contact, the way Thunderbird, ez-vcard and sabre/vobject take them: each
 * value is checked on its own with the protocol's schema, and one that cannot be kept is left
 * out with a warning (field, reason, the value) while the card stays. The contact is named by
 * N, else FN, else ORG (a company), else NICKNAME, else its first e-mail or phone; a card
 * naming nobody is the only one refused.
 */
export function admit(c: ImportCandidate): Admission {
  const warnings: CardWarning[] = [...c.warnings];
  const keep = <T>(field: string, schema: z.ZodType<T>, value: unknown): T | undefined => {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    warnings.push({ field, reason: toIssues(parsed.error)[0]?.reason ?? 'invalid_format', detail: describe(value) });
    return undefined;
  };
  const list = <T>(field: string, schema: z.ZodType<T>, values: { value: string }[]): T[] => {
    const out: T[] = [];
    values.forEach((v, i) => {
      if (out.length >= MAX_ENTRIES) warnings.push({ field: `${field}.${i}`, reason: 'too_many', detail: v.value });
      else {
        const kept = keep(`${field}.${i}`, schema, v);
        if (kept !== undefined) out.push(kept);
      }
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
  return { ok: true, fields: whole.data, warnings };
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
