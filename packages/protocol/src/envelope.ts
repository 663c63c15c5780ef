import { z } from 'zod';
import { ErrorBody } from './errors';

export const RequestId = z.union([z.number().int().safe(), z.string().max(100)]);
export type RequestId = z.infer<typeof RequestId>;

/**
 * A request line: `{"id": 1, "action": "login", "username": "rim", "password": "…"}`.
 * The action's parameters sit at the top level, beside id and action.
 */
export const RequestEnvelope = z.looseObject({ id: RequestId, action: z.string().max(64) });

export const OkResponse = z.object({ id: RequestId, ok: z.literal(true), result: z.unknown() });
export const ErrorResponse = z.object({
  /** null when the line could not be read far enough to find its id. */
  id: RequestId.nullable(),
  ok: z.literal(false),
  error: ErrorBody,
});
export const Response = z.discriminatedUnion('ok', [OkResponse, ErrorResponse]);
export type Response = z.infer<typeof Response>;
export type ErrorResponse = z.infer<typeof ErrorResponse>;
