import { connect } from '@annuaire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ maxFrameBytes: 64 * 1024 });
});
afterAll(() => t.close());

describe('greeting', () => {
  it('names the server, its version and the protocol version, without an id', async () => {
    const raw = await t.raw();
    expect(await raw.next()).toEqual({ event: 'hello', server: 'annuaire', version: expect.any(String), protocol: 1, lang: 'fr' });
  });
});

describe('bad input gets a structured error and the connection stays usable', () => {
  const cases: [string, string, object][] = [
    ['invalid JSON', '{"id": 1, "action": ', { id: null, ok: false, error: { code: 'bad_request' } }],
    ['a JSON array', '[1, 2]', { id: null, ok: false, error: { code: 'bad_request' } }],
    ['a JSON string', '"login"', { id: null, ok: false, error: { code: 'bad_request' } }],
    ['null', 'null', { id: null, ok: false, error: { code: 'bad_request' } }],
    ['no id', '{"action": "ping"}', { id: null, ok: false, error: { code: 'bad_request' } }],
    ['an object id', '{"id": {}, "action": "ping"}', { id: null, ok: false, error: { code: 'bad_request' } }],
    ['an unknown action', '{"id": 7, "action": "drop_table"}', { id: 7, ok: false, error: { code: 'unknown_action' } }],
    ['a missing action', '{"id": 8}', { id: 8, ok: false, error: { code: 'unknown_action' } }],
    ['a prototype key as action', '{"id": 9, "action": "__proto__"}', { id: 9, ok: false, error: { code: 'unknown_action' } }],
    [
      'a parameter of the wrong type',
      '{"id": "a", "action": "login", "username": 42, "password": "x"}',
      { id: 'a', ok: false, error: { code: 'invalid_params', field: 'username' } },
    ],
    [
      'an unexpected parameter',
      '{"id": 10, "action": "ping", "extra": true}',
      { id: 10, ok: false, error: { code: 'invalid_params', field: 'extra' } },
    ],
    [
      'a __proto__ parameter',
      '{"id": 11, "action": "ping", "__proto__": {"admin": true}}',
      { id: 11, ok: false, error: { code: 'invalid_params', field: '__proto__' } },
    ],
    [
      'a missing parameter',
      '{"id": 12, "action": "create_account", "username": "x"}',
      { id: 12, ok: false, error: { code: 'invalid_params' } },
    ],
  ];

  it.each(cases)('%s', async (_name, line, expected) => {
    const raw = await t.raw();
    await raw.next(); // hello
    raw.write(line + '\n');
    const reply = await raw.next();
    expect(reply).toMatchObject(expected);
    expect((reply.error as { message: string }).message.length).toBeGreaterThan(0);
    raw.write('{"id": 99, "action": "ping"}\n');
    expect(await raw.next()).toMatchObject({ id: 99, ok: true, result: { pong: true } });
  });

  it('ignores blank lines and accepts CRLF', async () => {
    const raw = await t.raw();
    await raw.next();
    raw.write('\n\r\n  \n{"id": 1, "action": "ping"}\r\n');
    expect(await raw.next()).toMatchObject({ id: 1, ok: true });
  });

  it('answers invalid UTF-8 without crashing', async () => {
    const raw = await t.raw();
    await raw.next();
    raw.write(Buffer.concat([Buffer.from('{"id": 1, "action": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]));
    expect(await raw.next()).toMatchObject({ id: 1, ok: false, error: { code: 'unknown_action' } });
  });
});

describe('frame limit', () => {
  it('answers frame_too_large then closes, while other connections carry on', async () => {
    const bystander = await t.client();
    const raw = await t.raw();
    await raw.next();
    raw.write('{"id": 1, "action": "ping", "pad": "' + 'x'.repeat(70 * 1024));
    expect(await raw.next()).toMatchObject({ id: null, ok: false, error: { code: 'frame_too_large' } });
    expect(await raw.next()).toMatchObject({ event: 'goodbye', reason: 'frame_too_large' });
    await raw.closedByServer();
    expect((await bystander.request('ping')).pong).toBe(true);
  });
});

describe('pipelining', () => {
  it('answers 500 requests sent in one write, each with its own id, in order', async () => {
    const raw = await t.raw();
    await raw.next();
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ id: `r${i}`, action: 'ping' })).join('\n') + '\n';
    raw.write(lines);
    for (let i = 0; i < 500; i++) expect(await raw.next()).toMatchObject({ id: `r${i}`, ok: true });
  });

  it('keeps order across slow (login) and fast requests', async () => {
    const { username, password } = await t.user();
    const raw = await t.raw();
    await raw.next();
    raw.write(
      [
        { id: 1, action: 'whoami' },
        { id: 2, action: 'login', username, password },
        { id: 3, action: 'whoami' },
        { id: 4, action: 'add_contact', nom: 'Pipeline' },
        { id: 5, action: 'search_contacts', query: 'pipe' },
      ]
        .map((m) => JSON.stringify(m))
        .join('\n') + '\n',
    );
    // The add's contacts_changed event may come before the last reply: replies are what is ordered.
    expect(await raw.nextReply()).toMatchObject({ id: 1, ok: false, error: { code: 'not_authenticated' } });
    expect(await raw.nextReply()).toMatchObject({ id: 2, ok: true });
    expect(await raw.nextReply()).toMatchObject({ id: 3, ok: true, result: { username } });
    expect(await raw.nextReply()).toMatchObject({ id: 4, ok: true });
    expect(await raw.nextReply()).toMatchObject({ id: 5, ok: true, result: { total: 1 } });
  });

  it('the typed client correlates concurrent requests by id', async () => {
    const { client } = await t.user();
    const added = await Promise.all(Array.from({ length: 50 }, (_, i) => client.request('add_contact', { nom: `N${i}` })));
    const fetched = await Promise.all(added.map((a) => client.request('get_contact', { contact_id: a.contact.id })));
    expect(fetched.map((f) => f.contact.nom)).toEqual(added.map((a) => a.contact.nom));
  });
});

describe('time-outs and shutdown', () => {
  it('closes an idle connection with a goodbye', async () => {
    const s = await startTestServer({ idleTimeoutMs: 200 });
    try {
      const raw = await s.raw();
      await raw.next();
      expect(await raw.next(3000)).toMatchObject({ event: 'goodbye', reason: 'idle_timeout' });
      await raw.closedByServer();
    } finally {
      await s.close();
    }
  });

  it('finishes in-flight requests before closing on shutdown', async () => {
    const s = await startTestServer();
    const { client, username, password } = await s.user();
    const closed = new Promise((resolve) => client.once('close', resolve));
    const pending = client.request('change_password', { old_password: password, new_password: 'nouveau-mdp-9' });
    const stopping = s.server.close();
    await expect(pending).resolves.toMatchObject({ message: 'Mot de passe modifié.' });
    await stopping;
    await closed;
    // The change was committed before the database closed.
    const again = await startTestServer({ dataDir: s.dataDir, databaseUrl: s.databaseUrl });
    try {
      const c = await connect('127.0.0.1', again.port);
      await expect(c.request('login', { username, password: 'nouveau-mdp-9' })).resolves.toBeTruthy();
      await c.close();
    } finally {
      await again.close();
      await s.close();
    }
  });
});
