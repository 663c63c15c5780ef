import { ACTIONS, PUBLIC_ACTIONS, isActionName, type ActionName, type ParamIssue } from '@annuaire/protocol';
import type { z } from 'zod';
import { AppError } from './errors';
import { accountHandlers } from './handlers/accounts';
import { contactHandlers } from './handlers/contacts';
import type { Handler, HandlerTable, RequestContext } from './handlers/context';
import { systemHandlers } from './handlers/system';
import type { Services } from './services';

/** The table from action to handler. The type makes a missing handler a compile error. */
const HANDLERS: HandlerTable<ActionName> = { ...systemHandlers, ...accountHandlers, ...contactHandlers };

/**
 * Checks the action and the login, validates the parameters with the protocol's schema,
 * and runs the handler. Throws AppError for every refusal.
 */
export function dispatch(ctx: RequestContext, action: unknown, params: Record<string, unknown>, services: Services) {
  if (!isActionName(action)) throw new AppError('unknown_action');
  if (!PUBLIC_ACTIONS.has(action) && !ctx.session) throw new AppError('not_authenticated');
  const parsed = ACTIONS[action].params.safeParse(params);
  if (!parsed.success) throw new AppError('invalid_params', { issues: toIssues(parsed.error) });
  return (HANDLERS[action] as Handler<typeof action>)(ctx, parsed.data as never, services);
}

/** zod's issues as the protocol's: a dotted field, a stable reason. Messages are added per language later. */
function toIssues(error: z.ZodError): ParamIssue[] {
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
  // One issue per field: the first is the one worth fixing first.
  return issues.filter((issue, i) => issues.findIndex((other) => other.field === issue.field) === i);
}
