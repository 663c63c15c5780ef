import type { ContactFields } from '@annuaire/protocol';

/** A card or row read from a file, not yet validated: the service checks it with the protocol's schema. */
export interface ImportCandidate {
  /** 1-based rank of the card, or line number of the CSV row. */
  position: number;
  label: string;
  fields: Partial<Record<keyof ContactFields, unknown>>;
  /** The card's own text, kept so that an unchanged contact exports byte for byte as it came. */
  source?: string;
}

/** A card or row that could not even be read. */
export interface ReadProblem {
  position: number;
  label: string;
  reason: string;
}
