import { ACTIONS, PUBLIC_ACTIONS, isActionName, type ActionName } from '@annuaire/protocol';
import { AppError } from './errors';
import { accountHandlers } from './handlers/accounts';
import { contactHandlers } from './handlers/contacts';
import type { Handler, HandlerTable, RequestContext } from './handlers/context';
import { systemHandlers } from './handlers/system';
import { transferHandlers } from './handlers/transfer';
import { toIssues } from './validation';
import type { Services } from './services';

/** The table from action to handler. The type makes a missing handler a compile error. */
const HANDLERS: HandlerTable<ActionName> = {
  ...systemHandlers,
  ...accountHandlers,
  ...contactHandlers,
  ...transferHandlers,
};

/**
 * Checks the action and the login, validates the parameters with the protocol's schema,
 * and runs the handler. Throws AppError for every refusal.
 */
export function dispatch(ctx: RequestContext, action: unknown, params: Record<string, unknown>, services: Services) {
  if (!isActionName(action)) throw new AppError('unknown_action');
  if (!PUBLIC_ACTIONS.has(action)) {
    if (!ctx.session) throw new AppError('not_authenticated');
    if (!services.accounts.isLive(ctx.session)) {
      ctx.setSession(null);
      throw new AppError('not_authenticated');
    }
  }
  const parsed = ACTIONS[action].params.safeParse(params);
  if (!parsed.success) throw new AppError('invalid_params', { issues: toIssues(parsed.error) });
  return (HANDLERS[action] as Handler<typeof action>)(ctx, parsed.data as never, services);
}
