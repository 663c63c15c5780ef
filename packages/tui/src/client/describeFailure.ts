import { ConnectionError, ProtocolError } from '@annuaire/protocol';
import type { Translate } from '../i18n';
import { UserFacingError } from '../lib/userFacingError';
import { NotSentError } from './serverClient';

export interface Failure {
  message: string;
  /** For invalid_params: the field the server pointed at. */
  field?: string;
  code?: string;
  /** For version_conflict: the contact as it is on the server now. */
  current?: unknown;
}

/** « Réessayez plus tard » says when: from the server's retry_after_ms. */
function withRetryTime(err: ProtocolError, t: Translate): string {
  const ms = err.body.retry_after_ms;
  if (ms === undefined) return err.message;
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  const time = seconds < 60 ? t('time.seconds', { count: seconds }) : t('time.minutes', { count: Math.ceil(seconds / 60) });
  return err.code === 'too_many_attempts' ? t('error.tooManyAttempts', { time }) : `${err.message} ${t('error.retryIn', { time })}`;
}

/** What to tell the user about a failed request: the server's own (localized) words when it answered. */
export function describeFailure(err: unknown, t: Translate): Failure {
  if (err instanceof ProtocolError) {
    return { message: withRetryTime(err, t), field: err.body.field, code: err.code, current: err.body.current };
  }
  if (err instanceof NotSentError) return { message: t('conn.notConnected') };
  if (err instanceof UserFacingError) return { message: err.message };
  if (err instanceof ConnectionError) return { message: t('conn.droppedDuringRequest') };
  return { message: t('error.unexpected', { message: err instanceof Error ? err.message : String(err) }) };
}
