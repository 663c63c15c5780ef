import type { Translate } from '../i18n';

/** The keys every form handles itself (the help lists them as editing keys, not one by one). */
export function formEditingKeys(t: Translate): string[] {
  return [t('keys.tab'), t('keys.enterNext'), t('keys.submit')];
}

/** The footer of a screen that shows a form: its keys, then Esc. */
export function formKeys(t: Translate): string[] {
  return [...formEditingKeys(t), t('keys.esc')];
}
