import type { ActionName, Language, ParsedParamsOf, ResultOf, ServerEvent } from '@annuaire/protocol';
import type { AuthSession } from '../services/session';
import type { Services } from '../services';

/** What a handler knows of the connection it serves. */
export interface RequestContext {
  readonly session: AuthSession | null;
  readonly lang: Language;
  readonly remoteAddress: string;
  setSession(session: AuthSession | null): void;
  setLang(lang: Language): void;
  /** Sends an event (a message with "event", no "id") to this connection, such as import progress. */
  notify(event: ServerEvent): void;
}

/** Logged-in context: dispatch guarantees a session for every non-public action. */
export type AuthedContext = RequestContext & { readonly session: AuthSession };

export type Handler<A extends ActionName> = (
  ctx: RequestContext,
  params: ParsedParamsOf<A>,
  services: Services,
) => ResultOf<A> | Promise<ResultOf<A>>;

export type HandlerTable<Names extends ActionName> = { [A in Names]: Handler<A> };

/** Narrows the context for actions that need a login; dispatch has already checked it. */
export function authed(ctx: RequestContext): AuthedContext {
  if (!ctx.session) throw new Error('dispatch let an unauthenticated request through');
  return ctx as AuthedContext;
}
