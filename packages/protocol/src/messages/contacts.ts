import { z } from 'zod';
import { hasControlCharacters, normalizeLineBreaks, stripControlCharacters } from '../control';
import { isRealBirthday } from '../dates';

/**
 * A stored text field: trimmed, bounded, and free of control characters (see control.ts);
 * `multiline` fields keep their line breaks, stored as LF.
 */
const text = (max: number, multiline = false) =>
  z
    .string()
    .trim()
    .overwrite(normalizeLineBreaks)
    .max(max)
    .refine((s) => !hasControlCharacters(s, { multiline }), { error: 'control_characters' });
const optionalText = (max: number, multiline = false) => text(max, multiline).nullable().optional();

export const EMAIL_TYPES = ['home', 'work', 'other'] as const;
export const PHONE_TYPES = ['mobile', 'home', 'work', 'fax', 'other'] as const;

export const Email = z.email({ error: 'email_invalid' }).max(254);
/**
 * Digits with the usual separators, as written: an optional leading "+", "(650) 555-1212",
 * and an extension ("+1-418-656-9254;ext=102", "x102", "ext. 102", "#102", "poste 102").
 */
export const Phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^\+?[0-9(][0-9 .\-()/]*(?:\s*(?:;ext=|ext\.?|x|#|poste)\s*[0-9]+)?$/i, { error: 'phone_invalid' })
  .refine((s) => s.replace(/\D/g, '').length >= 3, { error: 'phone_invalid' });

export const EmailEntry = z.strictObject({ value: Email, type: z.enum(EMAIL_TYPES).default('other') });
export const PhoneEntry = z.strictObject({ value: Phone, type: z.enum(PHONE_TYPES).default('other') });

export const Address = z.strictObject({
  rue: optionalText(200, true),
  code_postal: optionalText(20),
  ville: optionalText(100),
  region: optionalText(100),
  pays: optionalText(100),
});
export type Address = z.infer<typeof Address>;

/** "YYYY-MM-DD", or "--MM-DD" when the year is unknown (as vCard allows). */
export const Birthday = z
  .string()
  .regex(/^(\d{4}-|--)(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'birthday_invalid' })
  .refine(isRealBirthday, { error: 'birthday_impossible' });

/**
 * The fields a client may write. `email` and `telephone` are the seed's single values:
 * shorthands for the first entry of `emails` and `telephones`. Send one form or the other.
 */
export const ContactFields = z.strictObject({
  nom: text(100).min(1, { error: 'nom_required' }),
  // Optional, not defaulted: in update_contact an absent prénom must mean "unchanged".
  prenom: text(100).optional(),
  email: Email.nullable().optional(),
  telephone: Phone.nullable().optional(),
  emails: z.array(EmailEntry).max(20).optional(),
  telephones: z.array(PhoneEntry).max(20).optional(),
  entreprise: optionalText(200),
  fonction: optionalText(200),
  adresse: Address.nullable().optional(),
  anniversaire: Birthday.nullable().optional(),
  site_web: optionalText(500),
  notes: optionalText(10_000, true),
});
export type ContactFields = z.input<typeof ContactFields>;

/**
 * Text as a client receives it: a value stored before the control-character rule (or by a
 * server that lacks it) must never reach a terminal raw, so clients strip what the rule refuses.
 */
const shown = (multiline = false) => z.string().overwrite((s) => stripControlCharacters(s, { multiline }));

export const Contact = z.object({
  id: z.number().int().positive(),
  nom: shown(),
  prenom: shown(),
  /** First of `emails`, or null. */
  email: shown().nullable(),
  /** First of `telephones`, or null. */
  telephone: shown().nullable(),
  emails: z.array(z.object({ value: shown(), type: z.enum(EMAIL_TYPES) })),
  telephones: z.array(z.object({ value: shown(), type: z.enum(PHONE_TYPES) })),
  entreprise: shown().nullable(),
  fonction: shown().nullable(),
  adresse: z
    .object({
      rue: shown(true).nullable().optional(),
      code_postal: shown().nullable().optional(),
      ville: shown().nullable().optional(),
      region: shown().nullable().optional(),
      pays: shown().nullable().optional(),
    })
    .nullable(),
  anniversaire: shown().nullable(),
  site_web: shown().nullable(),
  notes: shown(true).nullable(),
  version: z.number().int().positive(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Contact = z.infer<typeof Contact>;

const ContactId = z.number().int().positive();
export const SORT_ORDERS = ['nom', 'prenom', 'created_at', 'updated_at'] as const;

export const ContactPage = z.object({
  contacts: z.array(Contact),
  total: z.number().int().nonnegative(),
  /** Pass back as `cursor` to get the next page; null on the last page. */
  next_cursor: z.string().nullable(),
  /** The annuaire's last change when the page was read: changes_since from here brings it up to date. */
  seq: z.number().int().nonnegative().optional(),
});

export const contacts = {
  add_contact: {
    params: ContactFields,
    result: z.object({ contact: Contact }),
  },
  // The contact's id travels as `contact_id`: `id` at the top level is the request's id.
  get_contact: {
    params: z.strictObject({ contact_id: ContactId }),
    result: z.object({ contact: Contact }),
  },
  update_contact: {
    // Every field is optional: only those given change. `version` must be the one last read.
    params: ContactFields.partial().extend({ contact_id: ContactId, version: z.number().int().positive() }),
    result: z.object({ contact: Contact }),
  },
  delete_contact: {
    params: z.strictObject({ contact_id: ContactId }),
    result: z.object({ contact_id: ContactId, message: z.string() }),
  },
  list_contacts: {
    params: z.strictObject({
      sort: z.enum(SORT_ORDERS).default('nom'),
      limit: z.number().int().min(1).max(500).default(50),
      cursor: z.string().max(500).optional(),
      /** Start at this position instead (not with `cursor`): to jump, e.g. to the end of the list. */
      offset: z.number().int().min(0).max(10_000_000).optional(),
    }),
    result: ContactPage,
  },
  recherche_contact: {
    /** prenom empty or absent: every contact with that nom. */
    params: z.strictObject({ nom: text(100).min(1, { error: 'nom_required' }), prenom: text(100).optional() }),
    result: z.object({ contacts: z.array(Contact) }),
  },
  search_contacts: {
    params: z.strictObject({
      query: z.string().max(200),
      limit: z.number().int().min(1).max(500).default(20),
      /** Matches past the 10,000th are not paged: the work of one search stays bounded. */
      offset: z.number().int().min(0).max(10_000).default(0),
    }),
    result: z.object({
      contacts: z.array(Contact),
      /** Every match up to 10,000; beyond, a lower bound (see total_is_lower_bound). */
      total: z.number().int().nonnegative(),
      /** Present, and true, when there are more matches than `total` (« plus de 10 000 »): counting stops there. */
      total_is_lower_bound: z.boolean().optional(),
    }),
  },
} as const;
