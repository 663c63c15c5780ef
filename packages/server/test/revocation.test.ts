import { connect, type AnnuaireClient } from '@annuaire/protocol';
import { describe, expect, it } from 'vitest';
import { protocolError, startTestServer } from './helpers';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: { code?: string }) => err.code ?? 'error',
  );

const count = (codes: string[]) => codes.reduce<Record<string, number>>((n, c) => ({ ...n, [c]: (n[c] ?? 0) + 1 }), {});

describe('password guesses in parallel', () => {
  const throttle = { freeFailuresPerUser: 3, freeFailuresPerAddress: 1000, baseDelayMs: 60_000, maxDelayMs: 600_000 };

  it('checks no more than the free guesses however many arrive at once, so the right password inside the burst is refused', async () => {
    const t = await startTestServer({ throttle });
    try {
      const { username, password } = await t.user();
      const clients = await Promise.all(Array.from({ length: 50 }, () => t.client()));
      const guesses = clients.map((c, i) => codeOf(c.request('login', { username, password: i === 25 ? password : `mauvais-${i}` })));
      const codes = await Promise.all(guesses);
      expect(count(codes)).toEqual({ invalid_credentials: 3, too_many_attempts: 47 });
      expect(codes[25]).toBe('too_many_attempts');
    } finally {
      await t.close();
    }
  });

  it('throttles the password asked again by change_password and delete_account', async () => {
    const t = await startTestServer({ throttle });
    try {
      const { client } = await t.user();
      const codes = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          codeOf(
            i % 2
              ? client.request('change_password', { old_password: `mauvais-${i}`, new_password: 'nouveau-mdp-1' })
              : client.request('delete_account', { password: `mauvais-${i}` }),
          ),
        ),
      );
      // One connection runs its requests in turn: the free guesses, then the one that locks.
      expect(count(codes)).toEqual({ invalid_credentials: 4, too_many_attempts: 26 });
      expect((await client.request('whoami')).contact_count).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe('sessions revoked while in use', () => {
  // Logins racing a change all use the right password: lift the per-username limit on parallel checks.
  const throttle = { freeFailuresPerUser: 1000, freeFailuresPerAddress: 1000, baseDelayMs: 1000, maxDelayMs: 60_000 };

  it('ends a session at once on every connection that resumed its token after logout', async () => {
    const t = await startTestServer();
    try {
      const { client, token } = await t.user();
      const other = await t.client();
      await other.request('resume_session', { session_token: token });
      expect((await other.request('whoami')).contact_count).toBe(0);
      await client.request('logout');
      expect((await protocolError(other.request('whoami'))).code).toBe('not_authenticated');
      expect((await protocolError(other.request('list_contacts'))).code).toBe('not_authenticated');
    } finally {
      await t.close();
    }
  });

  it('ends an expired session on its open connection', async () => {
    const t = await startTestServer({ sessions: { idleMs: 60_000, absoluteMs: 400 } });
    try {
      const { client } = await t.user();
      expect((await client.request('whoami')).contact_count).toBe(0);
      await new Promise((r) => setTimeout(r, 500));
      expect((await protocolError(client.request('whoami'))).code).toBe('not_authenticated');
    } finally {
      await t.close();
    }
  });

  it('leaves no session opened with the old password by a login racing a password change', async () => {
    const t = await startTestServer({ throttle });
    try {
      const { client, username, password } = await t.user();
      // The logins start while the change is under way (its two hashes take tens of ms): each
      // round starts them at another point of it.
      for (let round = 0; round < 4; round++) {
        const old = round === 0 ? password : `nouveau-mdp-${round - 1}`;
        const racers = await Promise.all(Array.from({ length: 8 }, () => t.client()));
        const change = client.request('change_password', { old_password: old, new_password: `nouveau-mdp-${round}` });
        await new Promise((r) => setTimeout(r, round * 8));
        const logins = racers.map((c) => codeOf(c.request('login', { username, password: old })));
        await change;
        await Promise.all(logins);
        // Whatever each login answered, none may act now with the old password's session.
        for (const c of racers) expect(await codeOf(c.request('whoami'))).toBe('not_authenticated');
        await Promise.all(racers.map((c) => c.close()));
      }
    } finally {
      await t.close();
    }
  });

  it('answers logins racing an account deletion with ok or invalid_credentials, never an internal error', async () => {
    const t = await startTestServer({ throttle });
    try {
      const { client, username, password } = await t.user();
      const racers: AnnuaireClient[] = await Promise.all(Array.from({ length: 20 }, () => connect('127.0.0.1', t.port)));
      const deletion = client.request('delete_account', { password });
      await new Promise((r) => setTimeout(r, 5));
      const logins = racers.map((c) => codeOf(c.request('login', { username, password })));
      await deletion;
      const codes = await Promise.all(logins);
      expect(codes.every((c) => c === 'ok' || c === 'invalid_credentials'), JSON.stringify(count(codes))).toBe(true);
      for (const c of racers) {
        expect(await codeOf(c.request('whoami'))).toBe('not_authenticated');
        await c.close();
      }
    } finally {
      await t.close();
    }
  });
});
