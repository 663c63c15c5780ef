import { connect } from '@annuaire/protocol';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocolError, startTestServer, storeRows, type TestServer } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('create_account', () => {
  it('creates the account and its empty annuaire', async () => {
    const c = await t.client();
    const created = await c.request('create_account', { username: 'rim', password: 'motdepasse1' });
    expect(created.username).toBe('rim');
    await c.request('login', { username: 'rim', password: 'motdepasse1' });
    expect(await c.request('whoami')).toMatchObject({ username: 'rim', contact_count: 0 });
    expect((await c.request('list_contacts')).contacts).toEqual([]);
  });

  it('refuses a taken username with the seed wording, regardless of case', async () => {
    const c = await t.client();
    await c.request('create_account', { username: 'Amine', password: 'motdepasse1' });
    for (const name of ['Amine', 'amine', 'AMINE']) {
      const err = await protocolError(c.request('create_account', { username: name, password: 'autremotdepasse' }));
      expect(err.code).toBe('username_taken');
      expect(err.message).toBe("Le nom d'utilisateur existe déjà. Veuillez choisir un autre nom d'utilisateur.");
    }
  });

  it('treats composed and decomposed accents as one username (NFC)', async () => {
    const c = await t.client();
    await c.request('create_account', { username: 'H\u00e9l\u00e8ne', password: 'motdepasse1' });
    const err = await protocolError(c.request('create_account', { username: 'he\u0301le\u0300ne', password: 'motdepasse1' }));
    expect(err.code).toBe('username_taken');
    // And the decomposed form logs into the composed account.
    const login = await c.request('login', { username: 'HE\u0301LE\u0300NE', password: 'motdepasse1' });
    expect(login.username).toBe('Hélène');
  });

  it('explains username and password rules per field', async () => {
    const c = await t.client();
    const cases = [
      [{ username: 'ab', password: 'motdepasse1' }, 'username', /au moins 3/],
      [{ username: 'a b c', password: 'motdepasse1' }, 'username', /lettres, des chiffres/],
      [{ username: 'x'.repeat(33), password: 'motdepasse1' }, 'username', /au plus 32/],
      [{ username: 'valide', password: 'court' }, 'password', /au moins 8/],
      [{ username: 'valide', password: 'p'.repeat(257) }, 'password', /au plus 256/],
    ] as const;
    for (const [params, field, text] of cases) {
      const err = await protocolError(c.request('create_account', params));
      expect(err.code).toBe('invalid_params');
      expect(err.body.field).toBe(field);
      expect(err.message).toMatch(text);
      // A password never comes back in an error.
      expect(JSON.stringify(err.body)).not.toContain(params.password);
    }
    await expect(c.request('login', { username: 'valide', password: 'motdepasse1' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
  });

  it('gives exactly one success to twenty simultaneous creations of one name', async () => {
    const clients = await Promise.all(Array.from({ length: 20 }, () => t.client()));
    const outcomes = await Promise.allSettled(
      clients.map((c, i) => c.request('create_account', { username: 'course', password: `motdepasse${i}` })),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'username_taken' });
    }
    // The winner's password is the one that works.
    const winner = outcomes.findIndex((o) => o.status === 'fulfilled');
    await expect(clients[0]!.request('login', { username: 'course', password: `motdepasse${winner}` })).resolves.toBeTruthy();
  });
});

describe('login', () => {
  it('says « Connexion réussie. » and opens the session', async () => {
    const c = await t.client();
    await c.request('create_account', { username: 'sami', password: 'motdepasse1' });
    await expect(c.request('whoami')).rejects.toMatchObject({ code: 'not_authenticated' });
    const ok = await c.request('login', { username: 'sami', password: 'motdepasse1' });
    expect(ok.message).toBe('Connexion réussie.');
    expect(ok.session_token.length).toBeGreaterThanOrEqual(22);
    expect((await c.request('whoami')).username).toBe('sami');
  });

  it('answers an unknown user and a wrong password identically', async () => {
    const c = await t.client();
    await c.request('create_account', { username: 'nadia', password: 'motdepasse1' });
    const wrong = await protocolError(c.request('login', { username: 'nadia', password: 'mauvais-mdp' }));
    const unknown = await protocolError(c.request('login', { username: 'personne', password: 'mauvais-mdp' }));
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({ code: 'invalid_credentials', message: "Nom d'utilisateur ou mot de passe incorrect." });
  });

  it('speaks English when asked', async () => {
    const c = await t.client();
    await c.request('set_language', { lang: 'en' });
    const err = await protocolError(c.request('login', { username: 'personne', password: 'mauvais-mdp' }));
    expect(err.message).toBe('Incorrect username or password.');
  });

  it('logout ends the session and its token', async () => {
    const { client, token } = await t.user();
    await client.request('logout');
    await expect(client.request('whoami')).rejects.toMatchObject({ code: 'not_authenticated' });
    const other = await t.client();
    await expect(other.request('resume_session', { session_token: token })).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  it('resume_session logs a new connection in with the token', async () => {
    const { username, token } = await t.user();
    const c = await t.client();
    const resumed = await c.request('resume_session', { session_token: token });
    expect(resumed.username).toBe(username);
    expect((await c.request('whoami')).username).toBe(username);
  });
});

describe('change_password', () => {
  it('needs the old password, then only the new one works and other sessions end', async () => {
    const { client, username, password } = await t.user();
    const elsewhere = await t.client();
    await elsewhere.request('login', { username, password });

    const wrong = await protocolError(client.request('change_password', { old_password: 'pas-le-bon', new_password: 'nouveau-mdp-1' }));
    expect(wrong.code).toBe('invalid_credentials');
    const short = await protocolError(client.request('change_password', { old_password: password, new_password: 'court' }));
    expect(short.body.field).toBe('new_password');

    await client.request('change_password', { old_password: password, new_password: 'nouveau-mdp-1' });
    expect((await client.request('whoami')).username).toBe(username);
    await expect(elsewhere.request('whoami')).rejects.toMatchObject({ code: 'not_authenticated' });

    const fresh = await t.client();
    await expect(fresh.request('login', { username, password })).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(fresh.request('login', { username, password: 'nouveau-mdp-1' })).resolves.toBeTruthy();
  });
});

describe('delete_account', () => {
  it('deletes the account, its annuaire and its contacts, after the password', async () => {
    const { client, username, password } = await t.user();
    await client.request('add_contact', { nom: 'Martin', prenom: 'Paul' });
    await client.request('add_contact', { nom: 'Durand', prenom: 'Luc' });
    await expect(client.request('delete_account', { password: 'pas-le-bon' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    const gone = await client.request('delete_account', { password });
    expect(gone.deleted_contacts).toBe(2);
    await expect(client.request('whoami')).rejects.toMatchObject({ code: 'not_authenticated' });
    const c = await t.client();
    await expect(c.request('login', { username, password })).rejects.toMatchObject({ code: 'invalid_credentials' });
    // The name is free again, and the new account starts empty.
    await c.request('create_account', { username, password });
    await c.request('login', { username, password });
    expect((await c.request('list_contacts')).total).toBe(0);
    expect((await c.request('search_contacts', { query: 'martin' })).total).toBe(0);
  });
});

describe('storage', () => {
  it('never writes a clear-text password to the data directory', async () => {
    const c = await t.client();
    const secret = 'Tr3s-Secret-Unique-42';
    await c.request('create_account', { username: 'secret', password: secret });
    await c.request('login', { username: 'secret', password: secret });
    await c.request('change_password', { old_password: secret, new_password: `${secret}-bis` });
    for (const file of readdirSync(t.dataDir)) {
      const bytes = readFileSync(path.join(t.dataDir, file));
      expect(bytes.includes(Buffer.from(secret)), file).toBe(false);
    }
    const [{ password_hash } = { password_hash: '' }] = await storeRows<{ password_hash: string }>(t, "SELECT password_hash FROM users WHERE username = 'secret'");
    expect(password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('keeps accounts and contacts across a restart on the same data directory', async () => {
    const s = await startTestServer();
    try {
      const { client, username, password } = await s.user('persistant');
      const added = await client.request('add_contact', { nom: 'Dupré', prenom: 'Hélène', email: 'helene@example.fr' });
      await s.restart();
      const c = await connect('127.0.0.1', s.port);
      await c.request('login', { username, password });
      expect((await c.request('get_contact', { contact_id: added.contact.id })).contact).toEqual(added.contact);
      expect((await c.request('search_contacts', { query: 'hel' })).total).toBe(1);
      await c.close();
    } finally {
      await s.close();
    }
  });
});

describe('session tokens', () => {
  it('expire after the idle time-out, and after the absolute lifetime even when used', async () => {
    const s = await startTestServer({ sessions: { idleMs: 300, absoluteMs: 60_000 } });
    try {
      const { token } = await s.user();
      const c = await s.client();
      await c.request('resume_session', { session_token: token });
      await new Promise((r) => setTimeout(r, 450));
      await expect((await s.client()).request('resume_session', { session_token: token })).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    } finally {
      await s.close();
    }
    const a = await startTestServer({ sessions: { idleMs: 60_000, absoluteMs: 400 } });
    try {
      const { token } = await a.user();
      for (let i = 0; i < 3; i++) {
        await (await a.client()).request('resume_session', { session_token: token });
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 200));
      await expect((await a.client()).request('resume_session', { session_token: token })).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    } finally {
      await a.close();
    }
  });

  it('are stored only as hashes', async () => {
    const { token } = await t.user();
    const stored = await storeRows<{ token_hash: string }>(t, 'SELECT token_hash FROM sessions');
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((r) => r.token_hash === token)).toBe(false);
    for (const file of readdirSync(t.dataDir)) {
      expect(readFileSync(path.join(t.dataDir, file)).includes(Buffer.from(token)), file).toBe(false);
    }
  });
});
