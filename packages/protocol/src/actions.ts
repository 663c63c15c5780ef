import { z } from 'zod';
import { accounts } from './messages/accounts';
import { changes } from './messages/changes';
import { contacts } from './messages/contacts';
import { system } from './messages/system';
import { transfer } from './messages/transfer';

/** Every action the server understands: its parameters and its result. */
export const ACTIONS = { ...system, ...accounts, ...contacts, ...changes, ...transfer } as const;

export type ActionName = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

/** What a caller passes (defaults may be omitted). */
export type ParamsOf<A extends ActionName> = z.input<(typeof ACTIONS)[A]['params']>;
/** What the server works with, once parsed (defaults filled in). */
export type ParsedParamsOf<A extends ActionName> = z.output<(typeof ACTIONS)[A]['params']>;
export type ResultOf<A extends ActionName> = z.output<(typeof ACTIONS)[A]['result']>;

/** Actions allowed before login. Everything else needs a logged-in session. */
export const PUBLIC_ACTIONS: ReadonlySet<ActionName> = new Set<ActionName>([
  'ping',
  'set_language',
  'create_account',
  'login',
  'resume_session',
]);

export function isActionName(name: unknown): name is ActionName {
  return typeof name === 'string' && Object.hasOwn(ACTIONS, name);
}
