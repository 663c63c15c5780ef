import { stripControlCharacters, type Contact } from '@annuaire/protocol';
import { createHash } from 'node:crypto';
import type { VcardExtras } from './types';

export const VCARD_VERSIONS = ['3.0', '4.0'] as const;
export type VcardVersion = (typeof VCARD_VERSIONS)[number];

const EMAIL_TYPES = { home: 'home', work: 'work', other: 'internet' } as const;
const PHONE_TYPES = { mobile: 'cell', home: 'home', work: 'work', fax: 'fax', other: 'voice' } as const;

/**
 * Text as a vCard property value: backslash and comma escaped, and every line end (CR, LF or
 * both) written as "\n", so that no value can end its line and start a property or a card of
 * its own. A semicolon is escaped only inside structured values (N, ADR, ORG: escapeComponent),
 * as RFC 6350 allows, since parsers do not unescape it in single text values.
 */
export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\r\n|\r|\n/g, '\\n').replace(/,/g, '\\,');
}

const escapeComponent = (s: string) => escapeText(s).replace(/;/g, '\\;');

/** A URI value: not comma-escaped (RFC 6350), but a line end still cannot pass. */
const escapeUri = (s: string) => s.replace(/\\/g, '\\\\').replace(/\r\n|\r|\n/g, '\\n');

/**
 * A carried-through line from an imported card: any raw line end left in it becomes "\n", and
 * the other control characters (a QUOTED-PRINTABLE "=0C", say) go, as from every field.
 */
const sanitizeLine = (line: string) => stripControlCharacters(line.replace(/\r\n|\r|\n/g, '\\n'), { multiline: false });

/**
 * Folds a content line at 75 octets (RFC 6350 §3.2, RFC 2426 §2.6), never inside a UTF-8
 * sequence or a surrogate pair; each continuation starts with one space.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    const limit = out.length === 0 ? 75 : 74;
    if (bytes + size > limit) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/**
 * The card's UID: the one it came with, else one derived from the contact's identity
 * (annuaire, id, creation time), so that every export of the same contact gives the same UID.
 */
export function contactUid(annuaireId: number, c: Contact, extras?: VcardExtras): string {
  if (extras?.uid) return extras.uid;
  const h = createHash('sha256').update(`annuaire:${annuaireId}:${c.id}:${c.created_at}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** PHOTO and the like between the 3.0 form (ENCODING=b;TYPE=JPEG) and the 4.0 one (a data: URI). */
function binaryFor(version: VcardVersion, line: string): string {
  if (version === '4.0') {
    const m = /^([\w.-]+)((?:;[^:]*)?);ENCODING=b((?:;[^:]*)?):(.*)$/i.exec(line);
    if (!m) return line;
    const params = `${m[2]}${m[3]}`;
    const type = /;TYPE=([\w-]+)/i.exec(params)?.[1]?.toLowerCase() ?? 'jpeg';
    const rest = params.replace(/;TYPE=[\w-]+/i, '');
    return `${m[1]}${rest}:data:image/${type};base64,${m[4]}`;
  }
  const m = /^([\w.-]+)((?:;[^:]*)?):data:image\/([\w+-]+);base64,(.*)$/i.exec(line);
  if (!m) return line;
  return `${m[1]}${m[2]};ENCODING=b;TYPE=${m[3]!.toUpperCase()}:${m[4]}`;
}

/** One contact as a vCard 3.0 or 4.0, with what its imported card held beyond our fields. */
export function writeVcard(c: Contact, uid: string, version: VcardVersion, extras?: VcardExtras): string {
  const lines = ['BEGIN:VCARD', `VERSION:${version}`, 'PRODID:-//annuaire//annuaire//FR', `UID:${escapeUri(uid)}`];
  // The card's own N and FN (with titles, middle names, a company's empty N) while the names are as imported.
  const namesAsImported = extras?.derived && extras.derived[0] === c.nom && extras.derived[1] === c.prenom;
  lines.push(namesAsImported && extras?.fn ? sanitizeLine(extras.fn) : `FN:${escapeText([c.prenom, c.nom].filter(Boolean).join(' '))}`);
  lines.push(namesAsImported && extras?.n ? sanitizeLine(extras.n) : `N:${escapeComponent(c.nom)};${escapeComponent(c.prenom)};;;`);
  for (const e of c.emails) lines.push(`EMAIL;TYPE=${EMAIL_TYPES[e.type]}:${escapeText(e.value)}`);
  for (const t of c.telephones) {
    lines.push(`TEL;${version === '4.0' ? 'VALUE=text;' : ''}TYPE=${PHONE_TYPES[t.type]}:${escapeText(t.value)}`);
  }
  if (c.entreprise) lines.push(`ORG:${escapeComponent(c.entreprise)}`);
  if (c.fonction) lines.push(`TITLE:${escapeText(c.fonction)}`);
  if (c.adresse) {
    const a = c.adresse;
    lines.push(`ADR:;;${[a.rue, a.ville, a.region, a.code_postal, a.pays].map((v) => escapeComponent(v ?? '')).join(';')}`);
  }
  if (c.anniversaire) lines.push(`BDAY:${c.anniversaire}`);
  if (c.site_web) lines.push(`URL:${escapeUri(c.site_web)}`);
  if (c.notes) lines.push(`NOTE:${escapeText(c.notes)}`);
  for (const line of extras?.lines ?? []) lines.push(binaryFor(version, sanitizeLine(line)));
  lines.push('END:VCARD');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
