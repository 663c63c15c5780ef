import type { Contact } from '@annuaire/protocol';

/** "▓▓▓▓░░░░ 42 %": a progress bar of `width` cells. */
export function progressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const full = Math.round(ratio * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${Math.floor(ratio * 100)} %`;
}

/** « Nom Prénom », as the contact list sorts and shows them. */
export const nomPrenom = (c: Contact) => [c.nom, c.prenom].filter(Boolean).join(' ');
