import type { z } from 'zod';

/**
 * The longest string `schema` accepts, read from the schema itself (through optional, nullable
 * and default wrappers), so that a client's input fields take the protocol's limits and never
 * a copy of them. Undefined when the schema sets none.
 */
export function maxLengthOf(schema: z.ZodType): number | undefined {
  let s: unknown = schema;
  while (s && typeof (s as { unwrap?: unknown }).unwrap === 'function' && !('maxLength' in (s as object))) s = (s as { unwrap(): unknown }).unwrap();
  const max = (s as { maxLength?: number | null }).maxLength;
  return typeof max === 'number' ? max : undefined;
}

/** `maxLengthOf`, for a schema known to set a limit (a test checks every use). */
export function requiredMaxLength(schema: z.ZodType): number {
  const max = maxLengthOf(schema);
  if (max === undefined) throw new Error('this schema sets no maximum length');
  return max;
}
