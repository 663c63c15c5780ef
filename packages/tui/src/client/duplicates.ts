import { ProtocolError, type Contact } from '@annuaire/protocol';
import type { ServerClient } from './serverClient';

export type DuplicateReason = 'name' | 'email' | 'phone';

export interface Duplicate {
  contact: Contact;
  reasons: DuplicateReason[];
}

/** The digits of a phone number, the national prefix and country code aside (06… = +33 6…). */
export function phoneDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 9 ? digits.slice(-9) : digits;
}

/**
 * Contacts already in the annuaire that look like the one about to be added: the same nom and
 * prénom (as the server compares them: case and accents aside), or one of the same emails or phone
 * numbers. Import rejects such duplicates; a manual add only warns, so the user may go on.
 */
export async function findDuplicates(conn: ServerClient, candidate: { nom: string; prenom: string; emails: string[]; phones: string[] }): Promise<Duplicate[]> {
  const found = new Map<number, Duplicate>();
  const note = (contact: Contact, reason: DuplicateReason) => {
    const entry = found.get(contact.id) ?? { contact, reasons: [] };
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
    found.set(contact.id, entry);
  };
  if (candidate.nom.trim()) {
    try {
      const { contacts } = await conn.request('recherche_contact', { nom: candidate.nom.trim(), prenom: candidate.prenom.trim() });
      // An empty prénom lists the whole family: only those without a prénom are the same name.
      for (const c of contacts) if (candidate.prenom.trim() || !c.prenom) note(c, 'name');
    } catch (err) {
      if (!(err instanceof ProtocolError && err.code === 'contact_not_found')) throw err;
    }
  }
  const emails = candidate.emails.map((e) => e.trim().toLowerCase()).filter(Boolean);
  const phones = candidate.phones.map(phoneDigits).filter((p) => p.length > 0);
  for (const query of [...candidate.emails, ...candidate.phones].map((v) => v.trim()).filter(Boolean)) {
    const { contacts } = await conn.request('search_contacts', { query, limit: 50 });
    for (const c of contacts) {
      if (c.emails.some((e) => emails.includes(e.value.trim().toLowerCase()))) note(c, 'email');
      if (c.telephones.some((p) => phones.includes(phoneDigits(p.value)))) note(c, 'phone');
    }
  }
  return [...found.values()];
}
