/**
 * Seeded contacts and queries for comparing the two search backends (pg-search.test.ts):
 * names in ten scripts that share prefixes, accents and ligatures, e-mails on a few shared
 * domains (some with digits after the name), phones written every way, duplicates, a crowd
 * of words completing one prefix and a crowd one typo away from one name.
 */
import { fold } from '../src/text/fold';
import { splitWords, withInnerStarts } from '../src/text/words';

export interface Fields {
  nom: string;
  prenom?: string;
  emails?: { value: string; type: 'home' | 'work' | 'other' }[];
  telephones?: { value: string; type: 'mobile' | 'home' | 'work' | 'other' }[];
  entreprise?: string | null;
  notes?: string | null;
  adresse?: { rue: string; ville: string; code_postal: string; pays: string } | null;
}

// The bench's seeded generator (mulberry32): the same numbers on every run.
export { mulberry32 as rng } from '@annuaire/test-utils';

const NAMES: [string[], string[]][] = [
  [
    ['Martin', 'Martine', 'Martinez', 'Marin', 'Dupont', 'Dupond', 'Dupré', 'Lefèvre', 'Lefebvre', 'Lefeuvre', 'Cœur', 'Bernard', 'Bach', "L'Hôte", 'Jean-Baptiste'],
    ['Hélène', 'Helene', 'Jean', 'Jean-Pierre', 'Marie', 'Lætitia', 'Laetitia', 'Zoé', 'Éric', 'Paul', 'Ægir', 'Straße'],
  ],
  [
    ['Смирнова', 'Смирнов', 'Иванов', 'Ёлкин'],
    ['Анна', 'Иван', 'Олег'],
  ],
  [
    ['Παπαδόπουλος', 'Παπάς', 'Οδος'],
    ['Νίκος', 'Μαρία', 'οδοσ'],
  ],
  [['محمد', 'محمود', 'أحمد'], ['علي', 'سارة']],
  [['כהן', 'כהנא', 'לוי'], ['דוד', 'שרה']],
  [['王小明', '李伟', '王芳', '张小明'], ['']],
  [['佐藤', '佐々木', 'さくら'], ['さくら', 'アキラ']],
  [['김민준', '이서연', '박민준'], ['']],
  [['Nguyễn', 'Trần', 'Đặng'], ['Văn', 'Thị', 'Đức']],
];
const DOMAINS = ['gmail.com', 'gmail.com', 'example.org', 'orange.fr', 'société.fr'];
const COMPANIES = ['Boulangerie Dupain', 'Martinique Voyages', 'Œuvre Sociale', 'ACME 2000', null];
const CITIES = ['Besançon', 'Paris', 'Marseille', 'Saint-Étienne', 'Москва'];

const pick = <T>(r: () => number, xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
const ascii = (s: string) => fold(s).replace(/[^a-z0-9]/g, '');

function phone(r: () => number): string {
  const national = `0${pick(r, ['6', '6', '7', '1'])}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
  const pairs = national.match(/../g)!;
  switch (Math.floor(r() * 4)) {
    case 0:
      return pairs.join(' ');
    case 1:
      return national;
    case 2:
      return `+33 ${national[1]} ${pairs.slice(1).join(' ')}`;
    default:
      return pairs.join('.');
  }
}

export function generatedContacts(r: () => number, n: number): Fields[] {
  const out: Fields[] = [];
  for (let i = 0; i < n; i++) {
    // Duplicates, as address books have them.
    if (out.length > 0 && r() < 0.05) {
      out.push({ ...pick(r, out) });
      continue;
    }
    const [noms, prenoms] = r() < 0.7 ? NAMES[0]! : pick(r, NAMES.slice(1));
    const nom = pick(r, noms);
    const prenom = pick(r, prenoms);
    const local = ascii(prenom) && ascii(nom) ? `${ascii(prenom)}.${ascii(nom)}${r() < 0.3 ? Math.floor(r() * 100) : ''}` : `p${i}`;
    const f: Fields = { nom, prenom, emails: [{ value: `${local}@${pick(r, DOMAINS)}`, type: 'home' }] };
    if (r() < 0.8) f.telephones = [{ value: phone(r), type: 'mobile' }];
    if (r() < 0.3) f.entreprise = pick(r, COMPANIES);
    if (r() < 0.4) f.adresse = { rue: `${1 + Math.floor(r() * 99)} rue ${pick(r, noms)}`, ville: pick(r, CITIES), code_postal: '25000', pays: 'France' };
    if (r() < 0.1) f.notes = pick(r, ['Rencontrée au salon de Lyon', 'motdepassebancaire', 'Préfère être appelée le matin', 'ＡＢＣ ｆｕｌｌ']);
    out.push(f);
  }
  // More than 48 words that complete « bernar », and more than 16 one typo from « lefevre ».
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  out.push({ nom: 'Crowd', prenom: 'Completions', notes: Array.from({ length: 60 }, (_, k) => `bernar${letters[k % 26]}${letters[Math.floor(k / 26)]}`).join(' ') });
  const typos = [...letters].map((x) => `lefe${x}re`).filter((w) => w !== 'lefevre');
  out.push({ nom: 'Crowd', prenom: 'Typos', notes: typos.join(' ') });
  return out;
}

/** One typo somewhere after the first letter: substitution, deletion, insertion or transposition. */
function typo(r: () => number, w: string): string {
  const c = [...w];
  const i = 1 + Math.floor(r() * (c.length - 2));
  switch (Math.floor(r() * 4)) {
    case 0:
      c[i] = pick(r, [...'aeioursnt']);
      break;
    case 1:
      c.splice(i, 1);
      break;
    case 2:
      c.splice(i, 0, pick(r, [...'aeioursnt']));
      break;
    default:
      [c[i], c[i + 1]] = [c[i + 1]!, c[i]!];
  }
  return c.join('');
}

/** Queries as people type them about these contacts, and the named ones. */
export function queriesFor(r: () => number, people: Fields[], n: number): string[] {
  const out = [
    ...['mar', 'dup', 'ber', 'martin', 'bach', 'p12', 'orange', 'example.org', 'gmail', '06', '06 1', '06 12', 'lefebre', 'matrin'],
    ...['helene', 'jean mar', 'helene lef', 'смир', 'παπα', 'محم', 'כה', '小明', '佐藤', '민준', 'nguyen', 'a', 'ma', 'martine'],
    ...['bernar', 'bernarb', 'lefevre', 'lefevr', 'lefebvre', 'martin75', 'οδος', 'οδοσ', 'ς', 'full', 'ｆｕｌｌ', 'strasse', 'coeur'],
  ];
  while (out.length < n) {
    const p = pick(r, people);
    const words = withInnerStarts(splitWords(fold(`${p.nom} ${p.prenom ?? ''} ${p.emails?.[0]?.value ?? ''} ${p.adresse?.ville ?? ''}`)));
    const w = pick(r, words.length > 0 ? words : ['x']);
    const cut = (x: string) => [...x].slice(0, 1 + Math.floor(r() * [...x].length)).join('');
    switch (Math.floor(r() * 8)) {
      case 0:
        out.push(cut(w));
        break;
      case 1:
        out.push(w);
        break;
      case 2: {
        const v = pick(r, words);
        out.push(r() < 0.5 ? `${cut(w)} ${cut(v)}` : `${v} ${cut(w)}`);
        break;
      }
      case 3:
        out.push([...w].length >= 5 ? typo(r, w) : w);
        break;
      case 4: {
        const t = p.telephones?.[0]?.value;
        if (!t) break;
        const digits = t.replace(/\D/g, '');
        const national = digits.startsWith('33') ? `0${digits.slice(2)}` : digits;
        out.push(pick(r, [t, national.slice(0, 2 + Math.floor(r() * 8)), `+33 ${national.slice(1, 6)}`, national.match(/../g)!.slice(0, 3).join('.')]));
        break;
      }
      case 5:
        out.push(`${p.nom} ${p.prenom ?? ''}`.trim());
        break;
      case 6:
        out.push(p.emails?.[0]?.value ?? w);
        break;
      default:
        out.push(`${cut(w).toUpperCase()}`);
    }
  }
  return out;
}
