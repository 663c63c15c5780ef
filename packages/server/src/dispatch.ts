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

/** Actions that make the database larger: refused while the disk is full, so that deletes keep the room. */
const GROWING: ReadonlySet<ActionName> = new Set(['create_account', 'add_contact', 'update_contact', 'import_contacts']);

/**
 * Checks the action and the login, validates the parameters with the protocol's schema,
 * and runs the handler. Throws AppError for every refusal.
 */
export function dispatch(ctx: RequestContext, action: unknown, params: Record<string, unknown>, services: Services) {
  if (!isActionName(action)) throw new AppError('unknown_action');
  if (PUBLIC_ACTIONS.has(action)) return run(ctx, action, params, services);
  const session = ctx.session;
  if (!session) throw new AppError('not_authenticated');
  return services.accounts.isLive(session).then((live) => {
    if (!live) {
      if (ctx.session === session) ctx.setSession(null);
      throw new AppError('not_authenticated');
    }
    return run(ctx, action, params, services);
  });
}

/** Validates the parameters and runs the handler (the session, if needed, is checked). */
function run(ctx: RequestContext, action: ActionName, params: Record<string, unknown>, services: Services) {
  const parsed = ACTIONS[action].params.safeParse(params);
  if (!parsed.success) throw new AppError('invalid_params', { issues: toIssues(parsed.error) });
  const { reserve } = services;
  if (GROWING.has(action) && !reserve.held) {
    reserve.refill();
    if (!reserve.held) throw new AppError('storage_full');
  }
  // SQLite found the disk full: nothing was written; the reserve makes room for deletes.
  const diskFull = (err: unknown): never => {
    if ((err as { code?: unknown } | null)?.code !== 'SQLITE_FULL') throw err;
    reserve.release();
    throw new AppError('storage_full');
  };
  const done = <T>(result: T): T => {
    reserve.afterRequest();
    return result;
  };
  try {
    const result = (HANDLERS[action] as Handler<typeof action>)(ctx, parsed.data as never, services);
    return result instanceof Promise ? result.then(done, diskFull) : done(result);
  } catch (err) {
    return diskFull(err);
  }
}
