import type { VcardExtras } from './types';
import { parseContentLine, readRawCards } from './vcard-text';

/** What our fields hold (or we write ourselves): the rest of a card is carried through. */
const MODELLED = new Set(['VERSION', 'PRODID', 'N', 'FN', 'UID', 'EMAIL', 'TEL', 'ORG', 'TITLE', 'ADR', 'BDAY', 'URL', 'NOTE']);

/** The extras of a card saved whole (before extras were kept apart): its UID and its unmodelled properties. */
export function legacyExtras(text: string): VcardExtras {
  const card = readRawCards(text)[0];
  const extras: VcardExtras = { lines: [] };
  for (const line of card?.lines ?? []) {
    const p = parseContentLine(line);
    if (!p) continue;
    if (p.name === 'UID') extras.uid ??= p.value;
    else if (!MODELLED.has(p.name)) extras.lines.push(line);
  }
  return extras;
}
