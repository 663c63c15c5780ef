/** The frame generators, one per kind of hostility, and their weighted mix (frameArbitrary). */
import { type ActionName, type RequestId } from '@annuaire/protocol';
import fc from 'fast-check';
import { actionName, noNewline, nonLogoutAction, objectText, paramKeys, rawNumbers, requestId, text, unreadableIdJson, wrongValueJson, type Frame } from './values';

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
