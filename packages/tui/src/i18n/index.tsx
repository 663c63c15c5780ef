import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Language } from '@annuaire/protocol';
import { en } from './en';
import { fr, type MessageKey } from './fr';

export type { MessageKey };
export const CATALOGUES: Record<Language, Record<MessageKey, string>> = { fr, en };

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

const NBSP = '\u00a0';

/**
 * French typography on screen, for our strings and the server's alike: one apostrophe (’), and a
 * no-break space inside « » and before ? ! : ; so that a wrapped line never starts with « ? » or « » ».
 */
export function typography(lang: Language, text: string): string {
  if (lang !== 'fr') return text;
  return text
    .replace(/(?<=\p{L})'(?=\p{L})/gu, '’')
    .replace(/« /g, `«${NBSP}`)
    .replace(/ ([?!:;»])/g, `${NBSP}$1`);
}

/** Looks a key up and fills in its `{placeholders}`. */
export function translate(lang: Language, key: MessageKey, vars?: Vars): string {
  const text = typography(lang, CATALOGUES[lang][key]);
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** `--lang` wins, then LANG/LC_ALL ("en_US.UTF-8" → en), then French. */
export function pickLanguage(flag: string | undefined, env: NodeJS.ProcessEnv): Language {
  if (flag === 'fr' || flag === 'en') return flag;
  const fromEnv = (env.LC_ALL || env.LC_MESSAGES || env.LANG || '').slice(0, 2).toLowerCase();
  return fromEnv === 'en' ? 'en' : 'fr';
}

const I18nContext = createContext<{ lang: Language; t: Translate }>({ lang: 'fr', t: (k, v) => translate('fr', k, v) });

export function I18nProvider({ lang, children }: { lang: Language; children: ReactNode }) {
  const value = useMemo(() => ({ lang, t: ((k, v) => translate(lang, k, v)) as Translate }), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useT(): Translate {
  return useContext(I18nContext).t;
}
export function useLang(): Language {
  return useContext(I18nContext).lang;
}
