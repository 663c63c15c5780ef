import type { Contact } from '@annuaire/protocol';
import type { CardWarning } from './vcard-text';

export type { CardWarning };

/** How a card or row names its contact, before we choose nom and prénom (see admit.ts). */
export interface CandidateNames {
  family?: string;
  given?: string;
  /** vCard FN, a CSV "Display Name". */
  formatted?: string;
  nickname?: string;
}

/** A card or row read from a file, not yet validated: admit() checks each value on its own. */
export interface ImportCandidate {
  /** 1-based rank of the card, or line number of the CSV row. */
  position: number;
  label: string;
  names: CandidateNames;
  /** `line`: the vCard content line it came from, carried through the export if the value cannot be kept. */
  emails: { value: string; type: Contact['emails'][number]['type']; line?: string }[];
  telephones: { value: string; type: Contact['telephones'][number]['type']; line?: string }[];
  entreprise?: string;
  fonction?: string;
  adresse?: { rue?: string; code_postal?: string; ville?: string; region?: string; pays?: string };
  anniversaire?: string;
  site_web?: string;
  notes?: string;
  /** What the reader itself left out, with why. */
  warnings: CardWarning[];
  /** vCard only: what we do not model, carried to the next export (see vcard-extras.ts). */
  extras?: VcardExtras;
}

/**
 * The parts of an imported card that no field holds, kept so that an export gives them back:
 * its UID, its N and FN as written (while nom and prénom are unchanged), and every other
 * property (photos, X- properties, a second address, a value we could not read as a field).
 */
export interface VcardExtras {
  uid?: string;
  /** nom and prénom as derived at import: the original N and FN stand while these are unchanged. */
  derived?: [string, string];
  n?: string;
  fn?: string;
  lines: string[];
}

/** A card or row that could not even be read. */
export interface ReadProblem {
  position: number;
  label: string;
  reason: string;
  detail?: string;
}
