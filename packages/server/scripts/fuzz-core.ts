/**
 * The fuzzer shared by packages/server/test/fuzz.test.ts (short, in the suite) and
 * packages/server/scripts/fuzz.ts (long, `pnpm fuzz`): fast-check generators of hostile
 * frames and a runner that sends them to a real server over TCP and checks every reply.
 *
 * A frame is the bytes of one line, without its "\n". The server answers every line that
 * is not blank with exactly one reply, in order, so the k-th reply belongs to the k-th
 * non-blank frame: the runner checks that each reply is a schema-valid Response, that it
 * carries the request's id whenever the request had a readable one, and that no reply is
 * an internal_error (a bug, however politely reported). A connection may also be closed
 * by the server (a frame over the size limit, a rate limit): that is a clean close only
 * if a goodbye event came first.
 */
import {
  ACTION_NAMES,
  ACTIONS,
  connect,
  Response,
  ServerEvent,
  type ActionName,
  type AnnuaireClient,
  type Contact,
  type RequestId, listAllContacts } from '@annuaire/protocol';
import fc from 'fast-check';
import net from 'node:net';

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

const NL = 0x0a;
/** Frames never contain a newline: that would make them two frames. */
function noNewline(b: Uint8Array): Buffer {
  const out = Buffer.from(b);
  for (let i = 0; i < out.length; i++) if (out[i] === NL) out[i] = 0x20;
  return out;
}

const text = (s: string) => Buffer.from(s, 'utf8');

// ---------------------------------------------------------------------------------------
// Building blocks

/** A readable request id, echoed back in the reply. */
export const requestId: fc.Arbitrary<RequestId> = fc.oneof(
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.string({ maxLength: 100, unit: 'grapheme' }),
);

/** Ids the envelope refuses: the reply must carry id null. */
const unreadableIdJson = fc.constantFrom(
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
const rawNumbers = fc.constantFrom(
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
function objectText(entries: [string, string][]): string {
  return '{' + entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',') + '}';
}

const actionName = fc.constantFrom(...ACTION_NAMES);
/**
 * For frames that may turn out valid: every action but logout, which would revoke the
 * fuzzer's session token and leave the rest of the run unauthenticated.
 */
const nonLogoutAction = fc.constantFrom(...ACTION_NAMES.filter((a) => a !== 'logout'));

// ---------------------------------------------------------------------------------------
// Frame generators, one per kind of hostility

/** Any bytes at all. */
const randomBytes = fc.uint8Array({ minLength: 0, maxLength: 300 }).map((b): Frame => ({ kind: 'random_bytes', bytes: noNewline(b) }));

/** Any JSON value that is not a request object: arrays, strings, numbers, objects without id. */
const jsonValue = fc.jsonValue({ maxDepth: 4 }).map((v): Frame => {
  const readableId =
    v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, 'id') ? undefined : null;
  return { kind: 'json_value', bytes: text(JSON.stringify(v)), expectId: readableId };
});

/** Every action with every parameter given a value of the wrong type, with extra and missing keys. */
const wrongTypes = fc
  .tuple(nonLogoutAction, requestId, fc.integer({ min: 0, max: 2 ** 31 }))
  .chain(([action, id, salt]) => {
    const keys = paramKeys(action);
    return fc
      .tuple(
        fc.subarray(keys),
        fc.array(wrongValueJson, { minLength: keys.length, maxLength: keys.length }),
        fc.array(fc.tuple(fc.string({ maxLength: 12 }), wrongValueJson), { maxLength: 2 }),
      )
      .map(([chosen, values, extra]): Frame => {
        const entries: [string, string][] = [
          ['id', JSON.stringify(id)],
          ['action', JSON.stringify(action)],
          ...chosen.map((k, i): [string, string] => [k, values[i]!]),
          ...extra.filter(([k]) => k !== 'id' && k !== 'action'),
        ];
        // A deterministic shuffle: key order must not matter to the server.
        if (salt % 2) entries.reverse();
        return { kind: 'wrong_types', bytes: text(objectText(entries)), expectId: id };
      });
  });

/** Requests whose id itself is unreadable: the reply must say id null. */
const badId = fc
  .tuple(unreadableIdJson, actionName)
  .map(([idJson, action]): Frame => ({
    kind: 'bad_id',
    bytes: text(objectText([['id', idJson], ['action', JSON.stringify(action)]])),
    expectId: null,
  }));

/** __proto__, constructor and prototype keys, at the top and nested in parameters. */
const protoKeys = fc
  .tuple(requestId, actionName, fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'), wrongValueJson, fc.boolean())
  .map(([id, action, key, value, nested]): Frame => {
    const entries: [string, string][] = [['id', JSON.stringify(id)], ['action', JSON.stringify(action)]];
    if (nested) {
      entries.push(['nom', '"Proto"'], ['adresse', objectText([[key, value], ['ville', '"x"']])], ['emails', `[${objectText([[key, value]])}]`]);
    } else entries.push([key, value]);
    return { kind: 'proto_keys', bytes: text(objectText(entries)), expectId: id };
  });

/** Numbers no parser agrees on, in the id and in numeric parameters. */
const hugeNumbers = fc
  .tuple(requestId, fc.constantFrom<ActionName>('get_contact', 'update_contact', 'delete_contact', 'list_contacts', 'search_contacts'), rawNumbers, rawNumbers)
  .map(([id, action, a, b]): Frame => ({
    kind: 'huge_numbers',
    bytes: text(
      objectText([
        ['id', JSON.stringify(id)],
        ['action', JSON.stringify(action)],
        ['contact_id', a],
        ['version', b],
        ['limit', a],
        ['offset', b],
      ]),
    ),
    expectId: id,
  }));

/** Long strings (under the frame limit) in every text parameter. */
const hugeStrings = fc
  .tuple(requestId, fc.constantFrom<ActionName>('add_contact', 'search_contacts', 'login', 'create_account', 'recherche_contact', 'list_contacts'), fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom('x', 'é', '🎉', '\u0000', '"', '\\', ' '))
  .map(([id, action, n, unit]): Frame => {
    const big = JSON.stringify(unit.repeat(Math.ceil(n / Buffer.byteLength(JSON.stringify(unit)))));
    const entries: [string, string][] = [['id', JSON.stringify(id)], ['action', JSON.stringify(action)]];
    for (const k of paramKeys(action)) entries.push([k, big]);
    return { kind: 'huge_strings', bytes: text(objectText(entries)), expectId: id };
  });

/** 10,000-deep arrays and objects, as the whole frame, as the id, or in a parameter. */
const deepNesting = fc
  .tuple(requestId, fc.constantFrom('whole', 'id', 'param', 'object'), fc.integer({ min: 1_000, max: 10_000 }))
  .map(([id, where, depth]): Frame => {
    const arr = '['.repeat(depth) + ']'.repeat(depth);
    const obj = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    if (where === 'whole') return { kind: 'deep_nesting', bytes: text(arr), expectId: null };
    if (where === 'id') return { kind: 'deep_nesting', bytes: text(`{"id":${arr},"action":"ping"}`), expectId: null };
    const value = where === 'param' ? arr : obj;
    return {
      kind: 'deep_nesting',
      bytes: text(`{"id":${JSON.stringify(id)},"action":"add_contact","nom":"Deep","adresse":${value},"notes":${value}}`),
      expectId: id,
    };
  });

/** A well-formed request, then broken: truncated, a byte flipped, bytes inserted. */
const mutated = fc
  .tuple(fc.constantFrom(...sampleRequests()), fc.integer({ min: 0, max: 1000 }), fc.uint8Array({ minLength: 1, maxLength: 4 }), fc.constantFrom('truncate', 'flip', 'insert', 'delete'))
  .map(([req, at, junk, how]): Frame => {
    const b = text(req);
    const i = at % b.length;
    let out: Buffer;
    if (how === 'truncate') out = b.subarray(0, i);
    else if (how === 'flip') out = Buffer.concat([b.subarray(0, i), Buffer.from([junk[0]! ^ 0xff]), b.subarray(i + 1)]);
    else if (how === 'insert') out = Buffer.concat([b.subarray(0, i), Buffer.from(junk), b.subarray(i)]);
    else out = Buffer.concat([b.subarray(0, i), b.subarray(i + junk.length)]);
    return { kind: 'mutated', bytes: noNewline(out) };
  });

/** Invalid UTF-8: stray continuation bytes, overlong forms, encoded surrogates, truncated sequences. */
const invalidUtf8 = fc
  .tuple(
    fc.constantFrom(...sampleRequests()),
    fc.integer({ min: 0, max: 1000 }),
    fc.constantFrom([0xff], [0xfe, 0xff], [0x80], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x8e], [0xc3]),
    fc.boolean(),
  )
  .map(([req, at, bad, inString]): Frame => {
    const b = text(req);
    // Inside a string value keeps the frame JSON (so it reaches the schema); anywhere breaks the JSON.
    const quote = b.lastIndexOf(0x22, b.length - 2);
    const i = inString && quote > 0 ? quote : at % b.length;
    return { kind: 'invalid_utf8', bytes: Buffer.concat([b.subarray(0, i), Buffer.from(bad), b.subarray(i)]) };
  });

/** NUL bytes raw (not allowed in JSON) and escaped (allowed: "\u0000" in every string). */
const nulBytes = fc
  .tuple(fc.constantFrom(...sampleRequests()), fc.integer({ min: 0, max: 1000 }), fc.boolean(), requestId)
  .map(([req, at, raw, id]): Frame => {
    if (raw) {
      const b = text(req);
      const i = at % (b.length + 1);
      return { kind: 'nul_bytes', bytes: Buffer.concat([b.subarray(0, i), Buffer.from([0]), b.subarray(i)]) };
    }
    const parsed = JSON.parse(req) as Record<string, unknown>;
    const withNul = Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' && k !== 'action' ? `\u0000${v}\u0000x` : v]),
    );
    withNul.id = typeof id === 'string' ? `${id}\u0000` : id;
    return { kind: 'nul_bytes', bytes: text(JSON.stringify(withNul)), expectId: withNul.id as RequestId };
  });

/** Strings that stress folding, the search planner and phone parsing. */
const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom(
    '"',
    '*',
    '"hel"*',
    'NOT',
    'AND OR NOT NEAR',
    'nom : x',
    '^',
    '(',
    ')',
    '{names}: x',
    '-',
    '+33',
    '+',
    '0',
    '+33 6 12 34 56 78 90 12 34',
    '\u0000',
    '\ud800',
    '\udfff\ud800',
    'ﬁ',
    'İ',
    'ǅ',
    'ß',
    '\u0301',
    '\u200b',
    '\ufeff',
    'é'.normalize('NFD').repeat(50),
    '%',
    "' OR 1=1 --",
    '; DROP TABLE contacts; --',
  ),
);

/**
 * Well-formed requests with odd but type-correct values. They run for real, on whatever
 * account the connection is logged in as (the fuzzer's own, never the victim's).
 * login, resume_session and logout are left out: they would change who the connection is.
 */
function validish(contactIds: number[]) {
  const cid = contactIds.length > 0 ? fc.oneof(fc.constantFrom(...contactIds), fc.integer({ min: 1, max: 2 ** 31 })) : fc.integer({ min: 1, max: 2 ** 31 });
  const req = (action: ActionName, params: fc.Arbitrary<Record<string, unknown>>) =>
    fc.tuple(requestId, params).map(([id, p]): Frame => ({ kind: `valid_${action}`, bytes: text(JSON.stringify({ ...p, id, action })), expectId: id }));
  return fc.oneof(
    req('ping', fc.constant({})),
    req('whoami', fc.constant({})),
    req('set_language', fc.record({ lang: fc.constantFrom('fr', 'en') })),
    req('search_contacts', fc.record({ query: nastyText, limit: fc.integer({ min: 1, max: 500 }), offset: fc.integer({ min: 0, max: 100_000 }) }, { requiredKeys: ['query'] })),
    req('recherche_contact', fc.record({ nom: nastyText, prenom: nastyText })),
    req('list_contacts', fc.record({ sort: fc.constantFrom('nom', 'prenom', 'created_at', 'updated_at'), limit: fc.integer({ min: 1, max: 500 }), cursor: fc.oneof(fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 60 }), fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url').slice(0, 500))) }, { requiredKeys: [] })),
    req('get_contact', fc.record({ contact_id: cid })),
    req('delete_contact', fc.record({ contact_id: cid })),
    req('update_contact', fc.record({ contact_id: cid, version: fc.integer({ min: 1, max: 5 }), nom: nastyText, notes: nastyText, telephone: fc.constantFrom('+33 6 12 34 56 78', '0612345678', '+1 (555) 010-9999', '999', '+999 999 999') }, { requiredKeys: ['contact_id', 'version'] })),
    req('add_contact', fc.record({ nom: nastyText, prenom: nastyText, notes: nastyText, entreprise: nastyText, telephone: fc.constantFrom('+33 6 12 34 56 78', '0612345678', '+44 20 7946 0958', '123', '+0 0 0', '((((1))))'), anniversaire: fc.constantFrom('--02-29', '2023-02-31', '0000-01-01') }, { requiredKeys: ['nom'] })),
    req('create_account', fc.record({ username: nastyText, password: fc.constant('short') })),
    req('change_password', fc.record({ old_password: fc.string({ minLength: 1, maxLength: 20 }), new_password: fc.constant('x') })),
  );
}

/** Every kind, weighted towards the cheap ones. `victimIds` are contact ids of another account. */
export function frameArbitrary(victimIds: number[] = []): fc.Arbitrary<Frame> {
  return fc.oneof(
    { weight: 4, arbitrary: randomBytes },
    { weight: 3, arbitrary: jsonValue },
    { weight: 8, arbitrary: wrongTypes },
    { weight: 2, arbitrary: badId },
    { weight: 3, arbitrary: protoKeys },
    { weight: 2, arbitrary: hugeNumbers },
    { weight: 1, arbitrary: hugeStrings },
    { weight: 1, arbitrary: deepNesting },
    { weight: 4, arbitrary: mutated },
    { weight: 3, arbitrary: invalidUtf8 },
    { weight: 3, arbitrary: nulBytes },
    { weight: 8, arbitrary: validish(victimIds) },
  );
}

function sampleRequests(): string[] {
  return [
    '{"id":1,"action":"ping"}',
    '{"id":"é🎉","action":"login","username":"hélène","password":"motdepasse"}',
    '{"id":3,"action":"add_contact","nom":"Dupré","prenom":"Hélène","email":"h@example.fr","adresse":{"ville":"Paris"}}',
    '{"id":4,"action":"update_contact","contact_id":1,"version":1,"notes":"x"}',
    '{"id":5,"action":"search_contacts","query":"hel","limit":5}',
    '{"id":6,"action":"list_contacts","sort":"nom","limit":2}',
    '{"id":7,"action":"create_account","username":"zoé","password":"motdepasse"}',
  ];
}

// ---------------------------------------------------------------------------------------
// Running frames against a server

export interface FuzzStats {
  frames: number;
  bytes: number;
  replies: number;
  /** Replies by outcome: "ok" or the error code. */
  byCode: Record<string, number>;
  /** Frames by kind. */
  byKind: Record<string, number>;
  /** Server-initiated closes by goodbye reason ("none" if there was no goodbye). */
  closes: Record<string, number>;
  /** Frames never answered because the server closed the connection first. */
  unanswered: number;
  /** Everything that broke a rule, with the frame that did it. */
  failures: string[];
}

export function newStats(): FuzzStats {
  return { frames: 0, bytes: 0, replies: 0, byCode: {}, byKind: {}, closes: {}, unanswered: 0, failures: [] };
}

const bump = (m: Record<string, number>, k: string, n = 1) => (m[k] = (m[k] ?? 0) + n);

function describeFrame(f: Frame): string {
  const head = f.bytes.subarray(0, 160).toString('utf8');
  return `${f.kind} (${f.bytes.length} bytes): ${JSON.stringify(head)}${f.bytes.length > 160 ? '…' : ''}`;
}

/** A socket that collects the server's lines. */
export class LineSocket {
  readonly lines: string[] = [];
  /** Live-change events (contacts_changed, resync_required): a stream beside the replies, kept apart. */
  readonly events: string[] = [];
  closed = false;
  /** Set when the server's goodbye arrives: the connection is ending, send nothing more on it. */
  saidGoodbye = false;
  private buf: Buffer = Buffer.alloc(0);
  private wakers: (() => void)[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      let nl;
      while ((nl = this.buf.indexOf(NL)) !== -1) {
        const line = this.buf.subarray(0, nl).toString('utf8');
        if (line.startsWith('{"event":"goodbye"')) this.saidGoodbye = true;
        if (line.startsWith('{"event":"contacts_changed"') || line.startsWith('{"event":"resync_required"')) this.events.push(line);
        else this.lines.push(line);
        this.buf = this.buf.subarray(nl + 1);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    // Writing into a connection the server has closed (after frame_too_large) fails: expected.
    socket.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<LineSocket> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host, () => resolve(new LineSocket(s)));
      s.once('error', reject);
    });
  }

  /** Usable for another batch: open, and not told goodbye (its close may not have come yet). */
  get usable(): boolean {
    return !this.closed && !this.saidGoodbye;
  }

  write(data: Buffer | string): Promise<void> {
    if (this.closed || this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.write(data, () => resolve());
    });
  }

  /** Waits until `count` lines have arrived, the socket closes, or `timeoutMs` passes. */
  async waitLines(count: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length < count && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1000));
        this.wakers.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return true;
  }

  /** Forgets the lines read so far (a long run keeps one socket for many batches). */
  consume(): void {
    this.lines.length = 0;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.wakers;
    this.wakers = [];
    for (const f of w) f();
  }
}

export interface SessionOpener {
  /** Called on each new connection: may log it in (e.g. resume_session as the fuzzer). */
  (sock: LineSocket): Promise<void>;
}

/**
 * Sends `frames` over one connection, as one pipelined write (or byte by byte when
 * `split` is set), and checks every reply. Returns after every owed reply has arrived
 * or the server has closed the connection.
 */
export async function sendAndCheck(sock: LineSocket, frames: Frame[], stats: FuzzStats, options: { split?: boolean; timeoutMs?: number; secret?: string } = {}): Promise<void> {
  const start = sock.lines.length;
  const owed = frames.filter((f) => expectsReply(f.bytes));
  for (const f of frames) {
    stats.frames++;
    stats.bytes += f.bytes.length + 1;
    bump(stats.byKind, f.kind);
  }
  const payload = Buffer.concat(frames.flatMap((f) => [f.bytes, Buffer.from([NL])]));
  if (options.split) {
    for (let i = 0; i < payload.length; i++) void sock.write(payload.subarray(i, i + 1));
  } else void sock.write(payload);
  // Events (a goodbye) are not replies: wait for as many more lines as events came.
  let events = -1;
  let done = true;
  for (;;) {
    const seen = sock.lines.slice(start).filter((l) => l.startsWith('{"event"')).length;
    if (seen === events) break;
    events = seen;
    done = await sock.waitLines(start + owed.length + events, options.timeoutMs ?? 60_000);
    if (!done) break;
  }
  if (!done) {
    stats.failures.push(`no reply within the time-out: ${sock.lines.length - start} of ${owed.length} replies came; last frame sent: ${describeFrame(frames.at(-1)!)}`);
    return;
  }
  // Lines that came: replies in order, then perhaps a goodbye.
  let k = 0;
  let goodbye: string | undefined;
  for (const line of sock.events.splice(0)) {
    if (options.secret && line.includes(options.secret)) stats.failures.push(`an event shows another account's data: ${line.slice(0, 200)}`);
    if (!ServerEvent.safeParse(JSON.parse(line)).success) stats.failures.push(`malformed event: ${line.slice(0, 200)}`);
  }
  for (const line of sock.lines.slice(start)) {
    if (options.secret && line.includes(options.secret)) {
      stats.failures.push(`a reply shows another account's data: ${line.slice(0, 200)}`);
    }
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      stats.failures.push(`the server sent a line that is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
      continue;
    }
    if (msg !== null && typeof msg === 'object' && 'event' in msg) {
      const ev = ServerEvent.safeParse(msg);
      if (!ev.success) stats.failures.push(`malformed event: ${line.slice(0, 200)}`);
      else if (ev.data.event === 'goodbye') goodbye = ev.data.reason;
      else stats.failures.push(`unexpected event: ${line.slice(0, 200)}`);
      continue;
    }
    const parsed = Response.safeParse(msg);
    const frame = owed[k];
    if (!frame) {
      // Only frame_too_large answers a frame that never finished (id null), then says goodbye.
      if (parsed.success && !parsed.data.ok && parsed.data.error.code === 'frame_too_large') {
        bump(stats.byCode, 'frame_too_large');
        stats.replies++;
        continue;
      }
      stats.failures.push(`a reply no frame asked for: ${line.slice(0, 200)}`);
      continue;
    }
    k++;
    stats.replies++;
    if (!parsed.success) {
      stats.failures.push(`reply is not a valid Response: ${line.slice(0, 300)} — to ${describeFrame(frame)}`);
      continue;
    }
    const reply = parsed.data;
    bump(stats.byCode, reply.ok ? 'ok' : reply.error.code);
    if (frame.expectId !== undefined && reply.id !== frame.expectId) {
      // frame_too_large answers the unfinished line with id null; everything else must echo.
      if (!(reply.ok === false && reply.error.code === 'frame_too_large')) {
        stats.failures.push(`reply id ${JSON.stringify(reply.id)} instead of ${JSON.stringify(frame.expectId)} — to ${describeFrame(frame)}`);
      }
    }
    if (!reply.ok && reply.error.code === 'internal_error') {
      stats.failures.push(`internal_error — to ${describeFrame(frame)}`);
    }
    if (!reply.ok && reply.error.message.length === 0) stats.failures.push(`an error without a message — to ${describeFrame(frame)}`);
  }
  if (k < owed.length) {
    // The server closed first. Clean only if it said why.
    stats.unanswered += owed.length - k;
    bump(stats.closes, goodbye ?? 'none');
    if (!goodbye) stats.failures.push(`connection closed without a goodbye after ${k} of ${owed.length} replies; next frame: ${describeFrame(owed[k]!)}`);
  } else if (goodbye) bump(stats.closes, goodbye);
}

/** Reads the greeting off a fresh connection. */
export async function readHello(sock: LineSocket): Promise<void> {
  await sock.waitLines(1, 20_000);
  const hello = ServerEvent.safeParse(JSON.parse(sock.lines[0] ?? 'null'));
  if (!hello.success || hello.data.event !== 'hello') throw new Error(`no hello: ${sock.lines[0]}`);
}

/** One JSON request on a LineSocket, for setting a connection up; returns the reply. */
export async function rawRequest(sock: LineSocket, request: Record<string, unknown>): Promise<Response> {
  const before = sock.lines.length;
  await sock.write(JSON.stringify(request) + '\n');
  await sock.waitLines(before + 1, 20_000);
  return Response.parse(JSON.parse(sock.lines[before]!));
}

/**
 * A frame split between every pair of bytes: the first part, a pause long enough for the
 * server to read it on its own, then the rest. The id holds multi-byte characters, so a
 * character cut in two must still come back whole.
 */
export async function splitAtEveryByte(sock: LineSocket, stats: FuzzStats, pauseMs = 2): Promise<void> {
  const id = 'é🎉ü-' + Date.now();
  const frame = text(JSON.stringify({ id, action: 'ping' }));
  for (let cut = 1; cut < frame.length; cut++) {
    const before = sock.lines.length;
    await sock.write(frame.subarray(0, cut));
    await new Promise((r) => setTimeout(r, pauseMs));
    await sock.write(Buffer.concat([frame.subarray(cut), Buffer.from([NL])]));
    stats.frames++;
    bump(stats.byKind, 'split_frame');
    if (!(await sock.waitLines(before + 1, 20_000)) || sock.closed) {
      stats.failures.push(`no reply to a frame split at byte ${cut}`);
      return;
    }
    stats.replies++;
    const reply = Response.safeParse(JSON.parse(sock.lines[before]!));
    if (!reply.success || !reply.data.ok || reply.data.id !== id) {
      stats.failures.push(`frame split at byte ${cut}: ${sock.lines[before]}`);
    } else bump(stats.byCode, 'ok');
  }
}

/** A line of `megabytes` MB: the server must answer frame_too_large, say goodbye and close. */
export async function oversizeLine(sock: LineSocket, stats: FuzzStats, megabytes: number): Promise<void> {
  const start = sock.lines.length;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  await sock.write('{"id":1,"action":"ping","pad":"');
  stats.frames++;
  bump(stats.byKind, 'oversize_line');
  for (let sent = 0; sent < megabytes * 1024 * 1024 && !sock.closed; sent += chunk.length) await sock.write(chunk);
  await sock.write('"}\n');
  if (!(await sock.waitLines(start + 2, 20_000))) stats.failures.push('no reply to a line of several MB');
  const got = sock.lines.slice(start).map((l) => JSON.parse(l) as Record<string, unknown>);
  const reply = Response.safeParse(got[0]);
  const bye = ServerEvent.safeParse(got[1]);
  if (!reply.success || reply.data.ok || reply.data.error.code !== 'frame_too_large') {
    stats.failures.push(`a line of ${megabytes} MB got ${JSON.stringify(got[0])}`);
  } else bump(stats.byCode, 'frame_too_large');
  if (!bye.success || bye.data.event !== 'goodbye') stats.failures.push(`no goodbye after a line of ${megabytes} MB: ${JSON.stringify(got[1])}`);
  else bump(stats.closes, bye.data.reason);
  stats.replies++;
}

// ---------------------------------------------------------------------------------------
// The world the fuzzer runs in: a victim whose data must not change, the fuzzer's own account

export interface FuzzWorld {
  /** The victim, logged in; its annuaire must be the same at the end. */
  victim: AnnuaireClient;
  victimIds: number[];
  snapshot: Contact[];
  /** The fuzzer's own session, resumed on the connections that fuzz logged in. */
  fuzzerToken: string;
  /** Another session of the victim, for a bystander connection. */
  bystanderToken: string;
}

/** Every contact of the session's annuaire, in name order. */
export const listAll = (client: AnnuaireClient) => listAllContacts(client);

/** Creates the victim (with contacts whose nom starts with `secret`) and the fuzzer. */
export async function prepareWorld(port: number, secret: string): Promise<FuzzWorld> {
  const victimAccount = { username: 'victime', password: 'motdepasse-victime' };
  const victim = await connect('127.0.0.1', port);
  await victim.request('create_account', victimAccount);
  await victim.request('login', victimAccount);
  for (let i = 0; i < 12; i++) {
    await victim.request('add_contact', {
      nom: `${secret}${String.fromCharCode(97 + i)}`,
      prenom: 'Hélène',
      emails: [{ value: `h${i}@example.fr`, type: 'work' }],
      telephone: '+33 6 12 34 56 7' + (i % 10),
      adresse: { ville: 'Paris', code_postal: '75002' },
      notes: 'Confidentiel',
    });
  }
  const snapshot = await listAll(victim);
  const bystanderToken = (await victim.request('login', victimAccount)).session_token;
  const fuzzer = await connect('127.0.0.1', port);
  const fuzzerAccount = { username: 'fuzzer', password: 'motdepasse-fuzzer' };
  await fuzzer.request('create_account', fuzzerAccount);
  const fuzzerToken = (await fuzzer.request('login', fuzzerAccount)).session_token;
  await fuzzer.close();
  return { victim, victimIds: snapshot.map((c) => c.id), snapshot, fuzzerToken, bystanderToken };
}

/**
 * A bystander: the victim on another connection, reading its contacts in a loop while the
 * fuzz runs. stop() ends it and tells how many rounds were served and what went wrong.
 */
export function startBystander(port: number, world: FuzzWorld, secret: string, onRound: () => void = () => {}) {
  let stopped = false;
  let rounds = 0;
  const errors: string[] = [];
  const done = (async () => {
    const c = await connect('127.0.0.1', port);
    await c.request('resume_session', { session_token: world.bystanderToken });
    while (!stopped) {
      try {
        const id = world.victimIds[rounds % world.victimIds.length]!;
        const { contact } = await c.request('get_contact', { contact_id: id });
        if (!contact.nom.startsWith(secret)) throw new Error(`the bystander read ${contact.nom}`);
        await c.request('ping');
        rounds++;
      } catch (err) {
        errors.push(String(err));
        break;
      }
      onRound();
      await new Promise((r) => setTimeout(r, 20));
    }
    await c.close();
  })();
  return {
    async stop(): Promise<{ rounds: number; errors: string[] }> {
      stopped = true;
      await done.catch((err: unknown) => errors.push(String(err)));
      return { rounds, errors };
    },
  };
}
