import type { MessageKey, Translate } from '../i18n';
import { CATALOGUES } from '../i18n';

/** The part of a zod schema we use (zod itself is the protocol package's dependency). */
export interface Schema {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: readonly { code: string; message: string }[] } };
}

/**
 * Checks one field with the protocol's own zod schema, so the client and the server agree on
 * every rule, and words the first problem from the catalogue (the schemas carry stable codes
 * such as "username_too_short" as their messages).
 */
export function fieldError(schema: Schema, value: unknown, t: Translate): string | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  if (!issue) return t('validation.invalid');
  const own = `validation.${issue.message}`;
  if (own in CATALOGUES.fr) return t(own as MessageKey);
  if (issue.code === 'too_small') return t('validation.required');
  if (issue.code === 'too_big') return t('validation.too_long');
  return t('validation.invalid');
}

/** Keeps only the fields that have an error. */
export function compact<N extends string>(errors: Record<N, string | undefined>): Partial<Record<N, string>> {
  const out: Partial<Record<N, string>> = {};
  for (const [name, error] of Object.entries(errors) as [N, string | undefined][]) if (error) out[name] = error;
  return out;
}
