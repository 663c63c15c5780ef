import type { ErrorBody, Language, RequestId } from '@annuaire/protocol';
import { AppError } from '../errors';
import { StoreUnavailable } from '../store/backend';
import { catalogue } from '../i18n';

/**
 * The one place where an error becomes a reply. AppError keeps its code; anything
 * else is a bug and answers internal_error without leaking details.
 */
export function errorBody(err: unknown, lang: Language): ErrorBody {
  const { errors, reasons, invalidParamsMessage, quotaMessage } = catalogue(lang);
  if (err instanceof StoreUnavailable) err = new AppError('unavailable', { retryAfterMs: err.retryAfterMs });
  if (!(err instanceof AppError)) return { code: 'internal_error', message: errors.internal_error };
  const body: ErrorBody = { code: err.code, message: errors[err.code] };
  const issues = err.extra.issues?.map((i) => ({ ...i, message: reasons[i.reason] ?? reasons.invalid_format! }));
  if (issues && issues.length > 0) {
    const first = issues[0]!;
    body.field = first.field;
    body.issues = issues;
    body.message = invalidParamsMessage(first.field, first.message);
  }
  if (err.extra.retryAfterMs !== undefined) body.retry_after_ms = err.extra.retryAfterMs;
  if (err.extra.current !== undefined) body.current = err.extra.current;
  if (err.extra.quota) {
    body.quota = err.extra.quota;
    body.message = quotaMessage(err.extra.quota.kind, err.extra.quota.limit);
  }
  return body;
}

export function errorReply(id: RequestId | null, err: unknown, lang: Language) {
  return { id, ok: false as const, error: errorBody(err, lang) };
}
