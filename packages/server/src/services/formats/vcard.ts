import type { Contact } from '@annuaire/protocol';
import ICAL from 'ical.js';
import { normalizeBirthday } from './birthday';
import type { ImportCandidate, ReadProblem } from './types';

/**
 * Cuts a file into its BEGIN:VCARD … END:VCARD blocks, keeping each block's exact text.
 * Parsing stays with ical.js; this only finds where each card starts and ends.
 */
function splitCards(text: string): string[] {
  const cards: string[] = [];
  let current: string[] | null = null;
  for (const line of text.split(/\r?\n/)) {
    const upper = line.trim().toUpperCase();
    if (upper === 'BEGIN:VCARD') current = [];
    if (current) current.push(line);
    if (upper === 'END:VCARD' && current) {
      cards.push(current.join('\r\n') + '\r\n');
      current = null;
    }
  }
  return cards;
}

const types = (prop: ICAL.Property): string[] => {
  const t = prop.getParameter('type');
  return (Array.isArray(t) ? t : t ? [t] : []).flatMap((v) => String(v).toLowerCase().split(','));
};

const str = (v: unknown): string => (v == null ? '' : String(v)).trim();

function emailType(prop: ICAL.Property): 'home' | 'work' | 'other' {
  const t = types(prop);
  return t.includes('work') ? 'work' : t.includes('home') ? 'home' : 'other';
}

function phoneType(prop: ICAL.Property): 'mobile' | 'home' | 'work' | 'fax' | 'other' {
  const t = types(prop);
  if (t.includes('cell')) return 'mobile';
  if (t.includes('fax')) return 'fax';
  if (t.includes('work')) return 'work';
  if (t.includes('home')) return 'home';
  return 'other';
}

/** Reads every card of a vCard 3.0 or 4.0 file. */
export function readVcards(text: string): { candidates: ImportCandidate[]; problems: ReadProblem[] } {
  const candidates: ImportCandidate[] = [];
  const problems: ReadProblem[] = [];
  splitCards(text).forEach((source, i) => {
    const position = i + 1;
    let card: ICAL.Component;
    try {
      card = new ICAL.Component(ICAL.parse(source) as unknown[]);
    } catch (err) {
      problems.push({ position, label: '', reason: (err as Error).message });
      return;
    }
    const n = card.getFirstPropertyValue('n') as unknown;
    const fn = str(card.getFirstPropertyValue('fn'));
    let nom = Array.isArray(n) ? str(n[0]) : '';
    let prenom = Array.isArray(n) ? str(n[1]) : '';
    if (!nom && !prenom && fn) {
      // No structured name: the last word of the formatted name is taken as the nom.
      const words = fn.split(/\s+/);
      nom = words.pop() ?? '';
      prenom = words.join(' ');
    }
    const org = card.getFirstPropertyValue('org') as unknown;
    const adr = card.getFirstPropertyValue('adr') as unknown;
    const bday = card.getFirstPropertyValue('bday');
    const fields: ImportCandidate['fields'] = {
      nom: nom || str(Array.isArray(org) ? org[0] : org),
      prenom,
      emails: card.getAllProperties('email').map((p) => ({ value: str(p.getFirstValue()), type: emailType(p) })),
      telephones: card
        .getAllProperties('tel')
        .map((p) => ({ value: str(p.getFirstValue()).replace(/^tel:/i, ''), type: phoneType(p) })),
    };
    if (org) fields.entreprise = str(Array.isArray(org) ? org.filter(Boolean).join(', ') : org);
    const title = str(card.getFirstPropertyValue('title'));
    if (title) fields.fonction = title;
    if (Array.isArray(adr)) {
      fields.adresse = { rue: str(adr[2]), ville: str(adr[3]), region: str(adr[4]), code_postal: str(adr[5]), pays: str(adr[6]) };
    }
    if (bday) fields.anniversaire = normalizeBirthday(str(bday));
    const url = str(card.getFirstPropertyValue('url'));
    if (url) fields.site_web = url;
    const note = str(card.getFirstPropertyValue('note'));
    if (note) fields.notes = note;
    candidates.push({ position, label: [nom, prenom].filter(Boolean).join(' ') || fn, fields, source });
  });
  return { candidates, problems };
}

const EMAIL_TYPES = { home: 'home', work: 'work', other: 'internet' } as const;
const PHONE_TYPES = { mobile: 'cell', home: 'home', work: 'work', fax: 'fax', other: 'voice' } as const;

/** Writes one contact as a vCard 3.0, the version every address book reads. */
export function writeVcard(c: Contact): string {
  const card = new ICAL.Component('vcard');
  card.addPropertyWithValue('version', '3.0');
  card.addPropertyWithValue('fn', [c.prenom, c.nom].filter(Boolean).join(' '));
  const n = new ICAL.Property('n');
  n.setValue([c.nom, c.prenom, '', '', ''] as unknown as string);
  card.addProperty(n);
  for (const e of c.emails) card.addPropertyWithValue('email', e.value).setParameter('type', EMAIL_TYPES[e.type]);
  for (const t of c.telephones) card.addPropertyWithValue('tel', t.value).setParameter('type', PHONE_TYPES[t.type]);
  if (c.entreprise) card.addPropertyWithValue('org', c.entreprise);
  if (c.fonction) card.addPropertyWithValue('title', c.fonction);
  if (c.adresse) {
    const a = c.adresse;
    const adr = new ICAL.Property('adr');
    adr.setValue(['', '', a.rue ?? '', a.ville ?? '', a.region ?? '', a.code_postal ?? '', a.pays ?? ''] as unknown as string);
    card.addProperty(adr);
  }
  if (c.anniversaire) card.addPropertyWithValue('bday', c.anniversaire);
  if (c.site_web) card.addPropertyWithValue('url', c.site_web);
  if (c.notes) card.addPropertyWithValue('note', c.notes);
  return card.toString().replace(/\r?\n/g, '\r\n') + '\r\n';
}
