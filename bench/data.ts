/**
 * Deterministic synthetic French directory: contact i is a pure function of i, so the
 * benchmark's queries can be derived from the same data without reading the database.
 */
import { mulberry32 } from '@annuaire/test-utils';

const SURNAMES = `Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèvre Leroy Roux David
Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefebvre Faure André Mercier Blanc
Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu
Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas
Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert
Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte
Lopez Jean Dupuy Guillot Hubert Berger Carpentier Sánchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury
Royer Klein Jacquet Adam Paris Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard Baron Bertin
Bailly Hervé Schneider Fernandez Le_Gall Collet Léger Bouvier Julien Prévost Millet Perrot Daniel Le_Roux Cousin Germain
Breton Besson Langlois Rémy Le_Goff Pelletier Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon Boulanger
Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier Chevallier Collin Chauvin Da_Silva Bouchet
Gay Lemaître Bénard Maréchal Humbert Reynaud Antoine Hoarau Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay
Pasquier Carlier Laporte Dupré Cœur Lœuillet Lætitier Hélias Lefébure Lefeuvre Ducœur`
  .split(/\s+/)
  .map((s) => s.replace(/_/g, ' '));

const PRENOMS = `Jean Marie Pierre Michel Philippe Nathalie Isabelle Alain Sylvie Catherine Françoise Nicolas Christophe Patrick
Stéphane Sophie Christine David Valérie Éric Sandrine Laurent Frédéric Véronique Julien Céline Thomas Hélène Anne Olivier
Jérôme Sébastien Chloé Léa Manon Camille Emma Inès Zoé Louise Noémie Maëlle Gaëlle Joël Noël Léon Raphaël Mathéo Théo
Hugo Lucas Louis Gabriel Arthur Jules Adèle Agnès Béatrice Cécile Danièle Élodie Émilie Geneviève Hervé Jérémy Josée
Lætitia Loïc Mégane Océane Renée Solène Thérèse Valentin Yannick Jean-Pierre Jean-Luc Marie-Claire Anne-Sophie François
André René Gérard Bernard Daniel Claude Jacques Paul Henri Georges Lucie Juliette Margaux Clémence Anaïs Mélanie Aurélie
Pauline Benoît Cédric Gwenaëlle Maïté Noëlle Zoë Cléa Héloïse Ève`.split(/\s+/);

const SYL_A = 'Ber Lav Mon Char Gra Vil Del Bou Chau Pel Roc Fer Gal Mar Tes Vau Ren Cas Sau Lam Bel Dur Gui Cha Bré Lé Mé Thé Kér Qué'.split(' ');
const SYL_B = ['', 'a', 'e', 'i', 'o', 'an', 'er', 'ou', 'el', 'in', 'ar', 'é'];
const SYL_C = 'ard et ot ier eau ain ac at ès elle on ault ois y and aud ec oux ange ière'.split(' ');

const CITIES: [string, string][] = [
  ['Paris', '75'], ['Marseille', '13'], ['Lyon', '69'], ['Toulouse', '31'], ['Nice', '06'], ['Nantes', '44'],
  ['Montpellier', '34'], ['Strasbourg', '67'], ['Bordeaux', '33'], ['Lille', '59'], ['Rennes', '35'], ['Reims', '51'],
  ['Saint-Étienne', '42'], ['Le Havre', '76'], ['Toulon', '83'], ['Grenoble', '38'], ['Dijon', '21'], ['Angers', '49'],
  ['Nîmes', '30'], ['Villeurbanne', '69'], ['Clermont-Ferrand', '63'], ['Le Mans', '72'], ['Aix-en-Provence', '13'],
  ['Brest', '29'], ['Tours', '37'], ['Amiens', '80'], ['Limoges', '87'], ['Annecy', '74'], ['Perpignan', '66'],
  ['Besançon', '25'], ['Orléans', '45'], ['Rouen', '76'], ['Mulhouse', '68'], ['Caen', '14'], ['Nancy', '54'],
  ['Béziers', '34'], ['Sète', '34'], ['Périgueux', '24'], ['Châteauroux', '36'], ['Fréjus', '83'], ['Évry', '91'],
  ['Créteil', '94'], ['Pontoise', '95'], ['Mâcon', '71'], ['Chambéry', '73'], ['Quimper', '29'], ['Vénissieux', '69'],
];
const STREET_TYPES = ['rue', 'avenue', 'boulevard', 'place', 'impasse', 'allée', 'chemin', 'quai'];
const STREET_NAMES = [
  'de la République', 'Victor Hugo', 'Jean Jaurès', 'des Lilas', 'du Général de Gaulle', 'Pasteur', 'de l’Église',
  'des Écoles', 'de la Gare', 'du Moulin', 'Émile Zola', 'de Verdun', 'des Peupliers', 'Gambetta', 'de la Paix',
  'Voltaire', 'du Château', 'des Tilleuls', 'Saint-Exupéry', 'de l’Hôtel de Ville', 'Molière', 'des Acacias',
];
const COMPANIES = [
  'Boulangerie Dupain', 'Atelier Lumière', 'Société Générale', 'Crédit Mutuel', 'Électricité Martin', 'Garage du Centre',
  'Cabinet Lefèvre', 'Pharmacie de la Gare', 'Librairie Œcuménique', 'Transports Bérard', 'Mairie', 'Hôpital Nord',
  'Lycée Victor Hugo', 'Café des Arts', 'Menuiserie Girard', 'Plomberie Rousseau', 'Agence Immobilière du Port',
  'Orange', 'SNCF', 'La Poste', 'Décathlon', 'Carrefour', 'Renault', 'Airbus', 'Michelin', 'Thalès', 'Safran',
];
const FONCTIONS = [
  'Ingénieure', 'Ingénieur', 'Comptable', 'Directeur', 'Directrice', 'Infirmière', 'Médecin', 'Avocat', 'Professeur',
  'Électricien', 'Plombier', 'Développeur', 'Chef de projet', 'Secrétaire', 'Commercial', 'Pharmacienne', 'Architecte',
];
const DOMAINS = ['gmail.com', 'orange.fr', 'free.fr', 'laposte.net', 'outlook.fr', 'yahoo.fr', 'sfr.fr', 'wanadoo.fr', 'hotmail.fr'];
const NOTES = [
  'Rencontré au salon du livre', 'Ancien collègue', 'Voisin du troisième', 'À rappeler après les fêtes',
  'Préfère être contacté le matin', 'Cousine de Léa', 'Club de randonnée', 'Parents d’élèves',
];

/** Zipf-like pick: index i with weight 1/(i+1)^s. */
function zipfTable(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 1) ** s;
  for (let i = 0; i < n; i++) cdf[i]! /= sum;
  return cdf;
}
function pick(cdf: Float64Array, r: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Surnames as a population has them: a Zipf-like curve (exponent 0.75 over 200,000 names)
 * whose head is the real list above (Martin ≈ 1.3% of Latin-script contacts, as the most
 * common name of a country is about 1%) and whose long tail is synthetic (rank → syllables).
 */
const SURNAME_RANKS = 200_000;
const SURNAME_CDF = zipfTable(SURNAME_RANKS, 0.75);
const PRENOM_CDF = zipfTable(PRENOMS.length, 0.7);
const SYL_D = ['', 'ne', 'tte', 'lin', 'ron', 'det', 'sson', 'mann', 'ez', 'ski', 'ani', 'elli', 'ović', 'sen', 'az'];

function surnameAt(rank: number): string {
  if (rank < SURNAMES.length) return SURNAMES[rank]!;
  let k = rank - SURNAMES.length;
  const a = SYL_A[k % SYL_A.length]!;
  k = Math.floor(k / SYL_A.length);
  const b = SYL_B[k % SYL_B.length]!;
  k = Math.floor(k / SYL_B.length);
  const c = SYL_C[k % SYL_C.length]!;
  k = Math.floor(k / SYL_C.length);
  const d = SYL_D[k % SYL_D.length]!;
  k = Math.floor(k / SYL_D.length);
  return a + b + c + d + (k > 0 ? ` ${SYL_A[k % SYL_A.length]}${SYL_C[k % SYL_C.length]}` : '');
}

/** Names in other scripts, most common first: [surnames, given names, written without a space?]. */
const SCRIPTS: { surnames: string[]; given: string[]; joined?: boolean }[] = [
  {
    surnames: 'Смирнова Иванов Кузнецов Попова Васильев Петров Соколов Михайлова Новиков Фёдоров Морозов Волков Алексеева Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев'.split(' '),
    given: 'Александр Сергей Елена Ольга Дмитрий Андрей Наталья Татьяна Алексей Ирина Юлия Михаил Анна Светлана'.split(' '),
  },
  {
    surnames: 'Παπαδόπουλος Παπαδάκης Γεωργίου Οικονόμου Νικολάου Βασιλείου Αθανασίου Κωνσταντίνου Δημητρίου Ιωάννου Μακρής Σταθόπουλος'.split(' '),
    given: 'Γιώργος Μαρία Ελένη Νίκος Κώστας Δημήτρης Σοφία Αικατερίνη Ιωάννης Άννα'.split(' '),
  },
  {
    surnames: 'محمد أحمد علي حسن حسين إبراهيم عبدالله يوسف خالد عمر سعيد منصور'.split(' '),
    given: 'فاطمة مريم عائشة زينب محمود مصطفى ليلى نور سارة كريم'.split(' '),
  },
  {
    surnames: 'כהן לוי מזרחי פרץ ביטון דהן אברהם פרידמן אגבאריה מלכה אזולאי כץ'.split(' '),
    given: 'נועה תמר יוסף דוד מיכל שרה אורי יעל משה רחל'.split(' '),
  },
  {
    surnames: '王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡'.split(' '),
    given: '伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 小明 建华'.split(' '),
    joined: true,
  },
  {
    surnames: '佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田'.split(' '),
    given: '翔太 さくら 陽菜 蓮 結衣 大翔 はると ゆうき 美咲 健太 アキラ ユイ'.split(' '),
    joined: true,
  },
  {
    surnames: '김 이 박 최 정 강 조 윤 장 임 한 오'.split(' '),
    given: '민준 서연 지우 서윤 도윤 하은 예준 지호 수아 현우'.split(' '),
    joined: true,
  },
  {
    surnames: 'Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ'.split(' '),
    given: 'Văn Anh Thị Hương Minh Quang Thu Hà Đức Tuấn Ngọc Lan'.split(' '),
  },
];
const SCRIPT_SURNAME_CDF = SCRIPTS.map((s) => zipfTable(s.surnames.length, 1));
/** About 10% of the contacts have a name in another script. */
const NON_LATIN_SHARE = 0.1;

/** A few domains hold most addresses (one of them the issue's @example.org). */
const SHARED_DOMAINS: [string, number][] = [['gmail.com', 0.5], ['example.org', 0.2], ['orange.fr', 0.1]];

function domainOf(r: number): string {
  let acc = 0;
  for (const [d, share] of SHARED_DOMAINS) if (r < (acc += share)) return d;
  return DOMAINS[Math.floor(((r - acc) / (1 - acc)) * DOMAINS.length)]!;
}

const ascii = (s: string) =>
  s
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '');

const digits = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

/** A phone number's ten national digits, written one of the ways people write them. */
function formatPhone(national: string, style: number): string {
  const pairs = national.match(/../g)!;
  if (style < 0.6) return pairs.join(' ');
  if (style < 0.8) return national;
  if (style < 0.95) return `+33 ${national[1]} ${pairs.slice(1).join(' ')}`;
  return pairs.join('.');
}

export interface GeneratedContact {
  nom: string;
  prenom: string;
  emails: { value: string; type: 'home' | 'work' | 'other' }[];
  telephones: { value: string; type: 'mobile' | 'home' | 'work' | 'other' }[];
  entreprise?: string;
  fonction?: string;
  adresse?: { rue: string; code_postal: string; ville: string; pays: string };
  notes?: string;
  /** The mobile's national digits, for phone queries. */
  mobile: string;
}

/** nom and prénom: Latin-script French most of the time, another script for about 10%. */
function nameOf(r: () => number): { nom: string; prenom: string; latin: boolean } {
  if (r() < NON_LATIN_SHARE) {
    const k = Math.floor(r() * SCRIPTS.length);
    const s = SCRIPTS[k]!;
    const nom = s.surnames[pick(SCRIPT_SURNAME_CDF[k]!, r())]!;
    const given = s.given[Math.floor(r() * s.given.length)]!;
    // CJK names are written as one word, family name first; half are typed whole into nom.
    if (s.joined && r() < 0.5) return { nom: nom + given, prenom: '', latin: false };
    return { nom, prenom: given, latin: false };
  }
  return { nom: surnameAt(pick(SURNAME_CDF, r())), prenom: PRENOMS[pick(PRENOM_CDF, r())]!, latin: true };
}

export function contact(i: number): GeneratedContact {
  const r = mulberry32(i * 2654435761 + 12345); // seeded per contact
  const { nom, prenom, latin } = nameOf(r);
  // Mobiles share their prefixes (06 for most, 07 for the rest) and are unique per contact.
  const mobile = `0${r() < 0.8 ? 6 : 7}${String((i * 48271 + 7) % 100_000_000).padStart(8, '0')}`;
  // Some addresses are pseudonymous ("p123@…"): the e-mail fragments.
  const local = latin && r() < 0.7 ? `${ascii(prenom)}.${ascii(nom)}${r() < 0.3 ? Math.floor(r() * 100) : ''}` : `p${i}`;
  const c: GeneratedContact = {
    nom,
    prenom,
    emails: [{ value: `${local}@${domainOf(r())}`, type: 'home' }],
    telephones: [{ value: formatPhone(mobile, r()), type: 'mobile' }],
    mobile,
  };
  if (r() < 0.3) c.telephones.push({ value: formatPhone(`0${1 + Math.floor(r() * 5)}${digits(r, 8)}`, r()), type: 'home' });
  if (r() < 0.5) {
    const company = COMPANIES[Math.floor(r() * COMPANIES.length)]!;
    c.entreprise = company;
    c.emails.push({ value: `${local}@${ascii(company).slice(0, 12)}.fr`, type: 'work' });
  }
  if (r() < 0.5) c.fonction = FONCTIONS[Math.floor(r() * FONCTIONS.length)];
  if (r() < 0.7) {
    const [ville, dept] = CITIES[Math.floor(r() * CITIES.length)]!;
    c.adresse = {
      rue: `${1 + Math.floor(r() * 150)} ${STREET_TYPES[Math.floor(r() * STREET_TYPES.length)]} ${STREET_NAMES[Math.floor(r() * STREET_NAMES.length)]}`,
      code_postal: `${dept}${digits(r, 3)}`,
      ville,
      pays: 'France',
    };
  }
  if (r() < 0.1) c.notes = NOTES[Math.floor(r() * NOTES.length)];
  return c;
}

/** The add_contact parameters of a generated contact. */
export function contactFields(c: GeneratedContact) {
  const { mobile: _mobile, ...fields } = c;
  return fields;
}

/** One typo: a substitution, deletion or transposition, somewhere after the first letter. */
function typo(word: string, r: () => number): string {
  const i = 1 + Math.floor(r() * (word.length - 2));
  const kind = r();
  if (kind < 0.4) return word.slice(0, i) + 'aeioursnt'[Math.floor(r() * 9)] + word.slice(i + 1);
  if (kind < 0.7) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

export type QueryKind = 'prefix' | 'multi-word' | 'accent-free' | 'phone' | 'typo';
export const QUERY_KINDS: QueryKind[] = ['prefix', 'multi-word', 'accent-free', 'phone', 'typo'];

/**
 * Queries as people type them, about contacts that exist in an annuaire of `size`:
 * a prefix of a nom ("dup"), prénom + start of nom ("jean dup"), a full name without
 * accents ("helene lefevre"), part of a phone number in some format, a nom with a typo.
 */
export function queries(size: number, count: number, seed = 7): { kind: QueryKind; query: string }[] {
  const r = mulberry32(seed);
  const out: { kind: QueryKind; query: string }[] = [];
  for (let k = 0; k < count; k++) {
    const kind = QUERY_KINDS[k % QUERY_KINDS.length]!;
    const c = contact(Math.floor(r() * size));
    // Names in other scripts are typed as they are written.
    const nom = ascii(c.nom.split(' ').at(-1)!) || c.nom.toLowerCase();
    let query: string;
    switch (kind) {
      case 'prefix':
        query = c.nom.slice(0, 3 + Math.floor(r() * 2));
        break;
      case 'multi-word':
        query = `${c.prenom.toLowerCase()} ${nom.slice(0, 3)}`;
        break;
      case 'accent-free':
        query = `${ascii(c.prenom) || c.prenom} ${nom}`.trim();
        break;
      case 'phone': {
        const d = c.mobile;
        const style = r();
        query = style < 0.4 ? `${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4, 6)}` : style < 0.7 ? `+33 ${d.slice(1)}` : d.match(/../g)!.join('.');
        break;
      }
      case 'typo':
        query = nom.length >= 5 ? typo(nom, r) : ascii(c.prenom).length >= 4 ? typo(`${ascii(c.prenom)}e`, r) : nom;
        break;
    }
    out.push({ kind, query });
  }
  return out;
}

/**
 * The queries, each measured on its own and reported with its match count: common
 * surname prefixes, e-mail fragments and shared domains, the mobile prefix most numbers share,
 * typos, several words, names in other scripts, and pages deep in the results.
 */
export const NAMED_QUERIES: { kind: string; query: string; limit?: number; offset?: number }[] = [
  { kind: 'common surname prefix', query: 'mar' },
  { kind: 'common surname prefix', query: 'dup' },
  { kind: 'common surname prefix', query: 'ber' },
  { kind: 'surname, ~1%', query: 'martin' },
  { kind: 'rare prefix', query: 'bach' },
  { kind: 'e-mail fragment', query: 'p123' },
  { kind: 'e-mail fragment', query: 'p12' },
  { kind: 'shared domain, ~10%', query: 'orange' },
  { kind: 'shared domain, ~20%', query: 'example.org' },
  { kind: 'shared domain, ~50%', query: 'gmail' },
  { kind: 'phone prefix, ~80%', query: '06' },
  { kind: 'phone prefix', query: '06 1' },
  { kind: 'phone prefix', query: '06 12' },
  { kind: 'typo', query: 'lefebre' },
  { kind: 'typo', query: 'matrin' },
  { kind: 'accent-free', query: 'helene' },
  { kind: 'multi-word', query: 'jean mar' },
  { kind: 'multi-word', query: 'helene lef' },
  { kind: 'Cyrillic', query: 'смир' },
  { kind: 'Greek', query: 'παπα' },
  { kind: 'Arabic', query: 'محم' },
  { kind: 'Hebrew', query: 'כה' },
  { kind: 'Chinese, part of a name', query: '小明' },
  { kind: 'Japanese', query: '佐藤' },
  { kind: 'Korean', query: '민준' },
  { kind: 'Vietnamese', query: 'nguyen' },
  { kind: 'deep page', query: 'gmail', offset: 4000 },
  { kind: 'deep page', query: 'a', offset: 3000 },
  { kind: 'large page', query: 'ma', limit: 500 },
];
