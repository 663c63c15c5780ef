import { z } from 'zod';

/** Stable, snake_case error codes. Clients branch on these, never on message text. */
export const ERROR_CODES = [
  'bad_request',
  'frame_too_large',
  'reply_too_large',
  'unknown_action',
  'invalid_params',
  'not_authenticated',
  'username_taken',
  'invalid_credentials',
  'too_many_attempts',
  'contact_not_found',
  'version_conflict',
  'resync_required',
  'quota_exceeded',
  'rate_limited',
  'too_many_connections',
  'idle_timeout',
  'shutting_down',
  'storage_full',
  'unavailable',
  'internal_error',
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ParamIssue = z.object({
  /** Dotted path of the offending parameter, e.g. "emails.0.value". Empty for the whole request. */
  field: z.string(),
  /** Stable reason, e.g. "too_small", "invalid_type", "unrecognized_key". */
  reason: z.string(),
  message: z.string(),
});
export type ParamIssue = z.infer<typeof ParamIssue>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** invalid_params: the first offending field, for clients that show one message per field. */
  field: z.string().optional(),
  /** invalid_params: every problem found. */
  issues: z.array(ParamIssue).optional(),
  /** too_many_attempts / rate_limited / unavailable: how long to wait before retrying. */
  retry_after_ms: z.number().int().nonnegative().optional(),
  /** version_conflict: the contact as it is now on the server. */
  current: z.unknown().optional(),
  /** quota_exceeded: which of the account's limits the write would pass. */
  quota: z.object({ kind: z.enum(['contacts', 'bytes']), limit: z.number().int().nonnegative() }).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
