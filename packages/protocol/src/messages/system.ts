import { z } from 'zod';
import { ContactsChangedEvent, ResyncRequiredEvent, SessionEndedEvent } from './changes';
import { ImportProgressEvent } from './transfer';

export const Language = z.enum(['fr', 'en']);
export type Language = z.infer<typeof Language>;

export const PROTOCOL_VERSION = 1;

export const system = {
  ping: {
    params: z.strictObject({}),
    result: z.object({ pong: z.literal(true), time: z.string() }),
  },
  set_language: {
    params: z.strictObject({ lang: Language }),
    result: z.object({ lang: Language }),
  },
} as const;

/** Messages the server sends on its own: they carry "event" and never "id". */
export const HelloEvent = z.object({
  event: z.literal('hello'),
  server: z.literal('annuaire'),
  version: z.string(),
  protocol: z.number().int(),
  lang: Language,
});
export const GoodbyeEvent = z.object({
  event: z.literal('goodbye'),
  reason: z.enum(['shutdown', 'idle_timeout', 'frame_too_large', 'frame_timeout', 'too_many_connections', 'too_slow']),
  message: z.string(),
});
/** A client ignores events it does not know: a newer server may send more. */
export const ServerEvent = z.discriminatedUnion('event', [
  HelloEvent,
  GoodbyeEvent,
  ImportProgressEvent,
  ContactsChangedEvent,
  ResyncRequiredEvent,
  SessionEndedEvent,
]);
export type ServerEvent = z.infer<typeof ServerEvent>;
export type HelloEvent = z.infer<typeof HelloEvent>;
