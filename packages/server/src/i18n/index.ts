import type { Language } from '@annuaire/protocol';
import * as en from './en';
import * as fr from './fr';

const catalogues = { fr, en } as const;
export type MessageKey = keyof typeof fr.messages;

export function catalogue(lang: Language) {
  return catalogues[lang];
}
export function message(lang: Language, key: MessageKey): string {
  return catalogues[lang].messages[key];
}
