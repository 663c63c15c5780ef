import type { ErrorCode, ParamIssue } from '@annuaire/protocol';

/**
 * The one error type of the server. Services throw it with a stable code;
 * transport/respond.ts turns it into a reply in the session's language.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly extra: {
      issues?: ParamIssue[];
      retryAfterMs?: number;
      current?: unknown;
      quota?: { kind: 'contacts' | 'bytes'; limit: number };
    } = {},
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export function invalidParam(field: string, reason: string): AppError {
  return new AppError('invalid_params', { issues: [{ field, reason, message: '' }] });
}
