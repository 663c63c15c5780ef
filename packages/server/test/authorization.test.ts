/**
 * The authorization matrix: every action × (not logged in, logged in as another user, owner).
 * Only the owner ever reads or changes an annuaire. The matrix is keyed by ActionName and
 * checked against ACTION_NAMES, so a new action cannot be added without its row.
 *
 * Each row gets a fresh world (owner A with contacts, another user B, an anonymous
 * connection). The anonymous and the other user go first; after each, A's annuaire and
 * account must be exactly as before and no reply may show A's data. The owner goes last.
 * Every event the anonymous and the other connection receive meanwhile is kept: none may
 * carry A's data or name A's contacts (events are pushed only to the annuaire's own sessions).
 */
import { ACTION_NAMES, PUBLIC_ACTIONS, ProtocolError, type ActionName, type AnnuaireClient, type Contact, type ServerEvent } from '@annuaire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

const SECRET = 'Confidentialissime';
const PASSWORD = 'motdepasse-test';

interface World {
  owner: AnnuaireClient;
  ownerName: string;
  ownerToken: string;
  other: AnnuaireClient;
  otherName: string;
  anon: AnnuaireClient;
  /** A's contacts: the first is the one actions aim at. */
  contacts: Contact[];
  /** Events pushed to the anonymous and the other connection since the world was made. */
  seen: { anonymous: ServerEvent[]; other: ServerEvent[] };
}

type Outcome = { ok: true; result: unknown } | { ok: false; code: string; body: unknown };
type Role = 'anonymous' | 'other' | 'owner';

interface Row {
  /** Allowed before login (must agree with PUBLIC_ACTIONS). */
  public: boolean;
  /** Parameters aimed at the owner's annuaire (A's contact, A's name, A's password…). */
  params(w: World): Record<string, unknown>;
  /** What each role must get. Unlisted roles: anonymous → not_authenticated for non-public actions. */
  expect: Partial<Record<Role, (o: Outcome, w: World) => void | Promise<void>>>;
}

const ok = (o: Outcome) => {
  if (!o.ok) throw new Error(`expected success, got ${o.code}`);
  return o.result as Record<string, unknown>;
};
const refused = (code: string) => (o: Outcome) => {
  expect(o.ok ? 'ok' : o.code).toBe(code);
};
const target = (w: World) => w.contacts[0]!;
/** The other user sees only their own annuaire: a list of their contacts, none of A's. */
const onlyOwn = (key: 'contacts') => (o: Outcome) => {
  const list = ok(o)[key] as Contact[];
  for (const c of list) expect(c.nom).not.toContain(SECRET);
};

let counter = 0;
const MATRIX: Record<ActionName, Row> = {
  ping: { public: true, params: () => ({}), expect: { anonymous: (o) => void ok(o), other: (o) => void ok(o), owner: (o) => void ok(o) } },
  set_language: {
    public: true,
    params: () => ({ lang: 'en' }),
    expect: { anonymous: (o) => expect(ok(o)).toEqual({ lang: 'en' }), other: (o) => void ok(o), owner: (o) => void ok(o) },
  },
  create_account: {
    public: true,
    // Aimed at A: taking A's name must not touch A.
    params: (w) => ({ username: w.ownerName.toUpperCase(), password: 'un-autre-mdp' }),
    expect: { anonymous: refused('username_taken'), other: refused('username_taken'), owner: refused('username_taken') },
  },
  login: {
    public: true,
    params: (w) => ({ username: w.ownerName, password: 'pas-le-bon-mdp' }),
    expect: { anonymous: refused('invalid_credentials'), other: refused('invalid_credentials'), owner: refused('invalid_credentials') },
  },
  resume_session: {
    public: true,
    // A token that is A's, but altered: must not open A's session.
    params: (w) => ({ session_token: w.ownerToken.slice(0, -2) + (w.ownerToken.endsWith('AA') ? 'BB' : 'AA') }),
    expect: { anonymous: refused('invalid_credentials'), other: refused('invalid_credentials'), owner: refused('invalid_credentials') },
  },
  logout: {
    public: false,
    params: () => ({}),
    expect: {
      other: async (o, w) => {
        ok(o);
        // B is logged out; A is not.
        await expect(w.other.request('whoami')).rejects.toMatchObject({ code: 'not_authenticated' });
      },
      owner: async (o, w) => {
        ok(o);
        await expect(w.owner.request('whoami')).rejects.toMatchObject({ code: 'not_authenticated' });
      },
    },
  },
  whoami: {
    public: false,
    params: () => ({}),
    expect: {
      other: (o, w) => expect(ok(o)).toMatchObject({ username: w.otherName, contact_count: 1 }),
      owner: (o, w) => expect(ok(o)).toMatchObject({ username: w.ownerName, contact_count: w.contacts.length }),
    },
  },
  change_password: {
    public: false,
    // A's password: B's is another (see world()), so B cannot pass A's for its own.
    params: () => ({ old_password: PASSWORD, new_password: 'nouveau-mdp-123' }),
    expect: {
      other: refused('invalid_credentials'),
      owner: async (o, w) => {
        ok(o);
        const c = await w.owner.request('login', { username: w.ownerName, password: 'nouveau-mdp-123' });
        expect(c.username).toBe(w.ownerName);
      },
    },
  },
  delete_account: {
    public: false,
    params: () => ({ password: PASSWORD }),
    expect: {
      other: refused('invalid_credentials'),
      owner: async (o, w) => {
        expect(ok(o)).toMatchObject({ deleted_contacts: w.contacts.length });
        await expect(w.anon.request('login', { username: w.ownerName, password: PASSWORD })).rejects.toMatchObject({
          code: 'invalid_credentials',
        });
      },
    },
  },
  import_contacts: {
    public: false,
    params: () => ({ format: 'csv', data: 'nom,prenom\r\nImporté,Zoé\r\n' }),
    expect: {
      // B's import goes to B's annuaire (A's unchanged is checked for every row).
      other: async (o, w) => {
        expect(ok(o)).toMatchObject({ imported: 1 });
        expect((await w.other.request('search_contacts', { query: 'importe' })).total).toBe(1);
      },
      owner: (o) => expect(ok(o)).toMatchObject({ imported: 1, rejected: [] }),
    },
  },
  import_begin: {
    public: false,
    params: () => ({ format: 'csv' }),
    expect: { other: (o) => void ok(o).upload_id, owner: (o) => void ok(o).upload_id },
  },
  // An upload is its user's: an id nobody began (or another user's) is unknown.
  import_chunk: {
    public: false,
    params: () => ({ upload_id: 'not-begun', bytes: 'eA==' }),
    expect: { other: refused('invalid_params'), owner: refused('invalid_params') },
  },
  import_end: {
    public: false,
    params: () => ({ upload_id: 'not-begun' }),
    expect: { other: refused('invalid_params'), owner: refused('invalid_params') },
  },
  export_contacts: {
    public: false,
    params: () => ({ format: 'vcard' }),
    expect: {
      other: (o) => {
        expect(ok(o).count).toBe(1);
        expect(ok(o).data).not.toContain(SECRET);
      },
      owner: (o, w) => {
        expect(ok(o).count).toBe(w.contacts.length);
        expect(ok(o).data).toContain(SECRET);
      },
    },
  },
  add_contact: {
    public: false,
    params: () => ({ nom: 'Ajouté' }),
    expect: {
      // B's add goes to B's annuaire (A's unchanged is checked for every row).
      other: async (o, w) => {
        const id = (ok(o).contact as Contact).id;
        await expect(w.other.request('get_contact', { contact_id: id })).resolves.toBeTruthy();
        await expect(w.owner.request('get_contact', { contact_id: id })).rejects.toMatchObject({ code: 'contact_not_found' });
      },
      owner: (o) => expect(ok(o).contact).toMatchObject({ nom: 'Ajouté', version: 1 }),
    },
  },
  get_contact: {
    public: false,
    params: (w) => ({ contact_id: target(w).id }),
    expect: { other: refused('contact_not_found'), owner: (o, w) => expect(ok(o).contact).toEqual(target(w)) },
  },
  update_contact: {
    public: false,
    params: (w) => ({ contact_id: target(w).id, version: target(w).version, notes: 'modifié' }),
    expect: { other: refused('contact_not_found'), owner: (o) => expect(ok(o).contact).toMatchObject({ notes: 'modifié', version: 2 }) },
  },
  delete_contact: {
    public: false,
    params: (w) => ({ contact_id: target(w).id }),
    expect: {
      other: refused('contact_not_found'),
      owner: async (o, w) => {
        ok(o);
        await expect(w.owner.request('get_contact', { contact_id: target(w).id })).rejects.toMatchObject({ code: 'contact_not_found' });
      },
    },
  },
  list_contacts: {
    public: false,
    params: () => ({ limit: 500 }),
    expect: {
      other: (o) => {
        onlyOwn('contacts')(o);
        expect(ok(o).total).toBe(1);
      },
      owner: (o, w) => expect(ok(o).contacts).toEqual(w.contacts),
    },
  },
  recherche_contact: {
    public: false,
    params: (w) => ({ nom: target(w).nom, prenom: target(w).prenom }),
    expect: { other: refused('contact_not_found'), owner: (o, w) => expect(ok(o).contacts).toEqual([target(w)]) },
  },
  search_contacts: {
    public: false,
    params: () => ({ query: SECRET.slice(0, 6).toLowerCase() }),
    expect: {
      other: (o) => {
        onlyOwn('contacts')(o);
        expect(ok(o).total).toBe(0);
      },
      owner: (o, w) => expect(ok(o).total).toBe(w.contacts.length),
    },
  },
  changes_since: {
    public: false,
    params: () => ({ seq: 0 }),
    expect: {
      // B's journal holds B's one contact, never A's.
      other: (o) => {
        const r = ok(o) as { changes: { kind: string; contact?: Contact }[]; seq: number };
        expect(r.changes.map((c) => c.contact?.nom)).toEqual(['Bertrand']);
        expect(r.seq).toBe(1);
      },
      owner: (o, w) => {
        const r = ok(o) as { changes: { kind: string; contact?: Contact }[]; seq: number };
        expect(r.changes.map((c) => c.contact)).toEqual(w.contacts);
        expect(r.seq).toBe(w.contacts.length);
      },
    },
  },
};

let t: TestServer;
beforeAll(async () => {
  // Many accounts from one address, and failed logins by design: lift those limits here.
  t = await startTestServer({
    accountCreation: { perAddress: 10_000, windowMs: 60_000 },
    throttle: { freeFailuresPerUser: 10_000, freeFailuresPerAddress: 10_000, baseDelayMs: 1, maxDelayMs: 1 },
  });
}, 60_000);
afterAll(() => t?.close());

async function world(): Promise<World> {
  const n = ++counter;
  const a = await t.user(`proprio${n}`);
  const contacts: Contact[] = [];
  for (const suffix of ['a', 'b']) {
    contacts.push((await a.client.request('add_contact', { nom: `${SECRET}${suffix}`, prenom: 'Anne', notes: 'privé' })).contact);
  }
  // B: another user, with another password and one contact of their own.
  const other = await t.client();
  await other.request('create_account', { username: `autre${n}`, password: 'mdp-de-l-autre' });
  await other.request('login', { username: `autre${n}`, password: 'mdp-de-l-autre' });
  await other.request('add_contact', { nom: 'Bertrand' });
  const anon = await t.client();
  const seen: World['seen'] = { anonymous: [], other: [] };
  anon.on('event', (e) => seen.anonymous.push(e));
  other.on('event', (e) => seen.other.push(e));
  return { owner: a.client, ownerName: a.username, ownerToken: a.token, other, otherName: `autre${n}`, anon, contacts, seen };
}

async function run(client: AnnuaireClient, action: ActionName, params: Record<string, unknown>): Promise<Outcome> {
  try {
    const result = await (client.request as (a: ActionName, p: object) => Promise<unknown>)(action, params);
    return { ok: true, result };
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    return { ok: false, code: err.code, body: err.body };
  }
}

async function ownerView(w: World) {
  const list = await w.owner.request('list_contacts', { limit: 500 });
  const me = await w.owner.request('whoami');
  return { contacts: list.contacts, me };
}

describe('authorization matrix', () => {
  it('has a row for every action, and its public flag agrees with PUBLIC_ACTIONS', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...ACTION_NAMES].sort());
    for (const action of ACTION_NAMES) expect({ action, public: MATRIX[action].public }).toEqual({ action, public: PUBLIC_ACTIONS.has(action) });
  });

  it.each(ACTION_NAMES)('%s: only the owner reads or changes the annuaire', async (action) => {
    const row = MATRIX[action];
    const w = await world();
    const before = await ownerView(w);
    for (const role of ['anonymous', 'other'] as const) {
      const client = role === 'anonymous' ? w.anon : w.other;
      const outcome = await run(client, action, row.params(w));
      expect(JSON.stringify(outcome), `${role} saw A's data`).not.toContain(SECRET);
      const check = row.expect[role];
      if (check) await check(outcome, w);
      else {
        expect(row.public, `${action} has no expectation for ${role}`).toBe(false);
        expect({ role, outcome: outcome.ok ? 'ok' : outcome.code }).toEqual({ role, outcome: 'not_authenticated' });
      }
      expect(await ownerView(w), `${role} changed A's annuaire or account`).toEqual(before);
    }
    const outcome = await run(w.owner, action, row.params(w));
    await row.expect.owner!(outcome, w);
    // Events go out on the turn after a write: a round trip on each connection lets them arrive.
    await Promise.all([w.anon, w.other].map((c) => c.request('ping').catch(() => undefined)));
    expect(w.seen.anonymous, 'an anonymous connection got an event').toEqual([]);
    for (const e of w.seen.other) {
      expect(JSON.stringify(e), "B was told of A's data").not.toContain(SECRET);
      if (e.event === 'contacts_changed') for (const c of e.changes) expect(w.contacts.map((x) => x.id)).not.toContain(c.contact_id);
    }
    // B's own writes do reach B: the silence above is not that of a feed that never speaks.
    if (action === 'add_contact' || action === 'import_contacts') {
      expect(w.seen.other.filter((e) => e.event === 'contacts_changed')).toHaveLength(1);
    }
  });

  it('refuses a parameter naming another user or annuaire on every non-public action', async () => {
    const w = await world();
    for (const action of ACTION_NAMES.filter((a) => !PUBLIC_ACTIONS.has(a))) {
      for (const key of ['username', 'user_id', 'annuaire_id', 'owner']) {
        const outcome = await run(w.other, action, { ...MATRIX[action].params(w), [key]: key === 'username' ? w.ownerName : 1 });
        expect({ action, key, outcome: outcome.ok ? 'ok' : outcome.code }).toEqual({ action, key, outcome: 'invalid_params' });
      }
    }
    expect((await ownerView(w)).contacts).toEqual(w.contacts);
  });
});
