import type { Contact } from '@annuaire/protocol';
import { fold } from '../../text/fold';

type EmailType = Contact['emails'][number]['type'];
type PhoneType = Contact['telephones'][number]['type'];
export type AddressPart = 'rue' | 'rue2' | 'ville' | 'region' | 'code_postal' | 'pays' | 'formatted';
type Single = 'nom' | 'prenom' | 'display' | 'nickname' | 'entreprise' | 'fonction' | 'anniversaire' | 'site_web' | 'notes' | 'birth_year' | 'birth_month' | 'birth_day';

/** What a CSV column holds, read from its header. */
export type Column =
  | { kind: Single }
  | { kind: 'email'; slot: string; type: EmailType }
  | { kind: 'phone'; slot: string; type: PhoneType }
  /** Google's "Phone 1 - Label" / "E-mail 2 - Type": the type of the value in the same slot. */
  | { kind: 'label'; slot: string }
  | { kind: 'address'; group: string; part: AddressPart };

/** Header names as compared: lowercase, no accents, punctuation as spaces ("E-mail 1 - Value" → "e mail 1 value"). */
export const headerKey = (name: string) => fold(name).replace(/[^a-z0-9]+/g, ' ').trim();

const SINGLES: Record<string, Single> = {};
const names = (kind: Single, ...list: string[]) => list.forEach((n) => (SINGLES[headerKey(n)] = kind));
// Our own export (Google's layout), French spreadsheets, Google, Outlook (en, fr, de), Apple, Thunderbird, LinkedIn.
names('nom', 'nom', 'nom de famille', 'last name', 'family name', 'surname', 'nachname', 'last_name');
names('prenom', 'prénom', 'first name', 'given name', 'vorname', 'first_name');
names('display', 'display name', 'name', 'full name', 'anzeigename', 'nom complet', 'nom affiché');
names('nickname', 'nickname', 'spitzname', 'surnom');
names('entreprise', 'company', 'organization', 'organisation', 'organization name', 'organization 1 - name', 'société', 'firma', 'entreprise');
names('fonction', 'job title', 'position', 'organization title', 'organization 1 - title', 'fonction', 'poste', 'titre du poste');
names('anniversaire', 'birthday', 'birth date', 'anniversaire', 'date de naissance', 'geburtstag');
names('birth_year', 'birth year');
names('birth_month', 'birth month');
names('birth_day', 'birth day');
names('site_web', 'web page', 'web page 1', 'website', 'website 1 - value', 'url', 'site', 'site web', 'page web', 'webseite', 'web site');
names('notes', 'notes', 'note', 'notizen', 'remarques', 'commentaire', 'commentaires');

const has = (key: string, re: RegExp) => re.test(key);
const WORK = /\b(work|business|geschaftlich|bureau|travail|buro|pro|professionnel)\b/;
const HOME = /\b(home|privat|domicile|perso|personnel|personal)\b/;
const OTHER = /\b(other|weitere|weiteres|weiterer|autre)\b/;

export function emailType(text: string): EmailType {
  const key = headerKey(text);
  return has(key, WORK) ? 'work' : has(key, HOME) ? 'home' : 'other';
}

export function phoneType(text: string): PhoneType {
  const key = headerKey(text);
  if (has(key, /\b(mobile|mobil|mobiltelefon|cell|cellular|portable|handy)\b/)) return 'mobile';
  if (has(key, /fax/)) return 'fax';
  if (has(key, WORK)) return 'work';
  if (has(key, HOME)) return 'home';
  return 'other';
}

function addressGroup(key: string): string {
  return has(key, WORK) ? 'work' : has(key, HOME) ? 'home' : has(key, OTHER) ? 'other' : '';
}

/** Reads a header; undefined for a column we have no field for (reported once, if it holds anything). */
export function classify(header: string): Column | undefined {
  const key = headerKey(header);
  if (SINGLES[key]) return { kind: SINGLES[key] };
  let m = /^(e mail|email|phone|address|website) (\d+) (type|label)$/.exec(key);
  if (m) return m[1] === 'website' || m[1] === 'address' ? undefined : { kind: 'label', slot: `${m[1]!.replace(' ', '')}${m[2]}` };
  if ((m = /^(?:e mail|email) (\d+) value$/.exec(key))) return { kind: 'email', slot: `email${m[1]}`, type: 'other' };
  if ((m = /^phone (\d+) value$/.exec(key))) return { kind: 'phone', slot: `phone${m[1]}`, type: 'other' };
  if ((m = /^website (\d+) value$/.exec(key))) return { kind: 'site_web' };
  if ((m = /^address (\d+) (street|city|region|postal code|country|formatted|extended address|po box)$/.exec(key))) {
    const part = { street: 'rue', city: 'ville', region: 'region', 'postal code': 'code_postal', country: 'pays', formatted: 'formatted', 'extended address': 'rue2', 'po box': 'rue2' }[m[2]!] as AddressPart;
    return { kind: 'address', group: `address${m[1]}`, part };
  }
  if (has(key, /\b(e ?mail|courriel|messagerie)\b/) && !has(key, /\b(type|typ|label|display|anzeigen|angezeigter)\b/)) {
    return { kind: 'email', slot: key, type: emailType(key) };
  }
  if (has(key, /\b(phone|tel|telephone|telefon|mobile|mobil|mobiltelefon|portable|handy|fax|cell)\b/) && !has(key, /\b(type|label)\b/)) {
    return { kind: 'phone', slot: key, type: phoneType(key) };
  }
  const group = addressGroup(key);
  const second = /\b[23]$/.test(key);
  if (has(key, /\b(street|strasse|rue|address|adresse)\b/)) return { kind: 'address', group, part: second ? 'rue2' : 'rue' };
  if (has(key, /\b(city|ville|ort)\b/)) return { kind: 'address', group, part: 'ville' };
  // "Pays/Région", "Country/Region", "Land/Region": a country.
  if (has(key, /\b(country|pays|land)\b/)) return { kind: 'address', group, part: 'pays' };
  if (has(key, /\b(state|region|province|bundesland|kanton)\b/)) return { kind: 'address', group, part: 'region' };
  if (has(key, /\b(zip|zipcode|postal|postleitzahl|cp)\b/)) return { kind: 'address', group, part: 'code_postal' };
  return undefined;
}
