import { z } from 'zod';
import { ACTIONS, ACTION_NAMES } from './actions';
import { ErrorResponse, OkResponse } from './envelope';
import { ServerEvent } from './messages/system';

/**
 * JSON Schema (draft 2020-12) of every message, generated from the zod schemas.
 * One document per file name; `schema/` holds the committed copy and a test keeps it current.
 */
export function generateJsonSchemas(): Record<string, unknown> {
  const files: Record<string, unknown> = {};
  const toSchema = (schema: z.ZodType, io: 'input' | 'output') =>
    z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  for (const name of ACTION_NAMES) {
    const { params, result } = ACTIONS[name];
    files[`actions/${name}.json`] = {
      title: name,
      description: `Request: {"id", "action": "${name}", ...params}. Reply: {"id", "ok": true, "result"}.`,
      params: toSchema(params, 'input'),
      result: toSchema(result, 'output'),
    };
  }
  files['envelope/ok-response.json'] = toSchema(OkResponse, 'output');
  files['envelope/error-response.json'] = toSchema(ErrorResponse, 'output');
  files['events.json'] = toSchema(ServerEvent, 'output');
  return files;
}

export function serializeSchema(doc: unknown): string {
  return JSON.stringify(doc, null, 2) + '\n';
}
