import type { ParamIssue } from '@annuaire/protocol';
import type { z } from 'zod';

/**
 * zod's issues as the protocol's: a dotted field and a stable reason, one per field
 * (the first is the one worth fixing first). Messages are added per language when replying.
 */
export function toIssues(error: z.ZodError): ParamIssue[] {
  const issues = error.issues.map((issue): ParamIssue => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return { field: [...path, issue.keys[0] ?? ''].join('.'), reason: 'unrecognized_key', message: '' };
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return { field: path.join('.'), reason: 'required', message: '' };
    }
    // Our schemas name their custom failures ("password_too_short"); zod's own have generic codes.
    const reason = /^[a-z_]+$/.test(issue.message) ? issue.message : issue.code;
    return { field: path.join('.'), reason, message: '' };
  });
  return issues.filter((issue, i) => issues.findIndex((other) => other.field === issue.field) === i);
}
