/**
 * The fuzzer's frames and the building blocks of its generators: request ids readable and not,
 * number tokens no parser agrees on, values of the wrong type, raw JSON object text.
 */
import { ACTION_NAMES, ACTIONS, type ActionName, type RequestId } from '@annuaire/protocol';
import fc from 'fast-check';

export interface Frame {
  kind: string;
  bytes: Buffer;
  /** The id the reply must carry: a value, null (unreadable), or undefined (cannot tell). */
  expectId?: RequestId | null;
}

/** Does the server owe this frame a reply? Blank lines (after CR stripping) get none. */
export function expectsReply(frame: Buffer): boolean {
  let line = frame.toString('utf8');
  if (line.endsWith('\r')) line = line.slice(0, -1);
  return line.trim().length > 0;
}

export const NL = 0x0a;
/** Frames never contain a newline: that would make them two frames. */
export function noNewline(b: Uint8Array): Buffer {
  const out = Buffer.from(b);
  for (let i = 0; i < out.length; i++) if (out[i] === NL) out[i] = 0x20;
  return out;
}

export const text = (s: string) => Buffer.from(s, 'utf8');

/** A readable request id, echoed back in the reply. */
export const requestId: fc.Arbitrary<RequestId> = fc.oneof(
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.string({ maxLength: 100, unit: 'grapheme' }),
);

/** Ids the envelope refuses: the reply must carry id null. */
export const unreadableIdJson = fc.constantFrom(
  '1.5',
  '9007199254740993',
  '1e999',
  '-1e999',
  'null',
  'true',
  '{}',
  '[]',
  '[1]',
  JSON.stringify('x'.repeat(101)),
  '{"__proto__": 1}',
);

/** Raw JSON number tokens that JSON.stringify never writes. */
export const rawNumbers = fc.constantFrom(
  '1e999',
  '-1e999',
  '1.7976931348623157e309',
  '123456789012345678901234567890123456789012345678901234567890',
  '-0',
  '0.0000000000000000000000000000000000000001',
  '9007199254740993',
  '-9007199254740993',
  '1e-400',
  '4.9e-324',
  '1E+2',
  '0e0',
);

/** JSON text of a value of (very probably) the wrong type for whatever field receives it. */
export const wrongValueJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', 'true', 'false', '{}', '[]', '""', '0', '-1', '1e308', '-1e308', '0.5', '"__proto__"', '"constructor"'),
  rawNumbers,
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }).map((v) => JSON.stringify(v)),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('{"__proto__": {"admin": true}}', '{"constructor": {"prototype": {"admin": true}}}', '[{"__proto__": null}]'),
);

/** The parameter names an action's schema knows (zod objects expose their shape). */
export function paramKeys(action: ActionName): string[] {
  const schema = ACTIONS[action].params as unknown as { shape?: Record<string, unknown> };
  return Object.keys(schema.shape ?? {});
}

/** `{"id":…,"action":…, k: v, …}` from raw JSON texts, so that any token can be placed. */
export function objectText(entries: [string, string][]): string {
  return '{' + entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',') + '}';
}

export const actionName = fc.constantFrom(...ACTION_NAMES);
/**
 * For frames that may turn out valid: every action but logout, which would revoke the
 * fuzzer's session token and leave the rest of the run unauthenticated.
 */
export const nonLogoutAction = fc.constantFrom(...ACTION_NAMES.filter((a) => a !== 'logout'));
