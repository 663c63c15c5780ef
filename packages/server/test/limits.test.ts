import { connect } from '@annuaire/protocol';
import { describe, expect, it } from 'vitest';
import { protocolError, startTestServer } from './helpers';

describe('login throttling', () => {
  const throttle = { freeFailuresPerUser: 3, freeFailuresPerAddress: 50, baseDelayMs: 60_000, maxDelayMs: 600_000 };

  it('locks a username after repeated failures; the right password does not lift the lock', async () => {
    const t = await startTestServer({ throttle });
    try {
      const { username, password } = await t.user();
      const c = await t.client();
      for (let i = 0; i < 3; i++) {
        await expect(c.request('login', { username, password: 'mauvais-mdp' })).rejects.toMatchObject({ code: 'invalid_credentials' });
      }
      await expect(c.request('login', { username, password: 'mauvais-mdp' })).rejects.toMatchObject({ code: 'invalid_credentials' });
      const locked = await protocolError(c.request('login', { username, password }));
      expect(locked.code).toBe('too_many_attempts');
      expect(locked.body.retry_after_ms).toBeGreaterThan(0);
      expect(locked.body.retry_after_ms).toBeLessThanOrEqual(60_000);
      expect(locked.message).toBe('Trop de tentatives. Réessayez plus tard.');
    } finally {
      await t.close();
    }
  });

  it('throttles an unknown username exactly like a real one', async () => {
    const t = await startTestServer({ throttle });
    try {
      await t.user('existe');
      const c = await t.client();
      const replies = [];
      for (const username of ['existe', 'nexistepas']) {
        for (let i = 0; i < 5; i++) {
          replies.push((await protocolError(c.request('login', { username, password: 'mauvais-mdp' }))).body);
        }
      }
      expect(replies.slice(0, 5).map((r) => r.code)).toEqual(replies.slice(5).map((r) => r.code));
    } finally {
      await t.close();
    }
  });
});

describe('connection limits', () => {
  it('refuses connections over the per-address maximum with a goodbye, and serves the others', async () => {
    const t = await startTestServer({ maxConnectionsPerAddress: 3 });
    try {
      const kept = await Promise.all([t.client(), t.client(), t.client()]);
      const extra = await t.raw();
      expect(await extra.next()).toMatchObject({ event: 'goodbye', reason: 'too_many_connections' });
      await extra.closedByServer();
      expect((await kept[0]!.request('ping')).pong).toBe(true);
      // A slot frees up when a connection closes.
      await kept[1]!.close();
      let reconnected;
      for (let i = 0; i < 50 && !reconnected; i++) {
        reconnected = await connect('127.0.0.1', t.port).catch(() => undefined);
        if (!reconnected) await new Promise((r) => setTimeout(r, 20));
      }
      expect(reconnected).toBeDefined();
      await reconnected!.close();
    } finally {
      await t.close();
    }
  });

  it('limits the request rate of one connection with rate_limited', async () => {
    const t = await startTestServer({ requestRate: { perSecond: 1, burst: 5 } });
    try {
      const c = await t.client();
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => c.request('ping')));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: 'rate_limited', body: { retry_after_ms: expect.any(Number) } });
      // Another connection has its own budget.
      expect((await (await t.client()).request('ping')).pong).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('limits account creation per source address', async () => {
    const t = await startTestServer({ accountCreation: { perAddress: 2, windowMs: 3600_000 } });
    try {
      const c = await t.client();
      await c.request('create_account', { username: 'un-compte', password: 'motdepasse1' });
      await c.request('create_account', { username: 'deux-comptes', password: 'motdepasse1' });
      const err = await protocolError(c.request('create_account', { username: 'trois-comptes', password: 'motdepasse1' }));
      expect(err.code).toBe('rate_limited');
      expect(err.body.retry_after_ms).toBeGreaterThan(0);
      await expect(c.request('login', { username: 'trois-comptes', password: 'motdepasse1' })).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    } finally {
      await t.close();
    }
  });

  it('drops a client that begins a line and never finishes it', async () => {
    const t = await startTestServer({ frameTimeoutMs: 300 });
    try {
      const raw = await t.raw();
      await raw.next();
      raw.write('{"id": 1, "act');
      expect(await raw.next(3000)).toMatchObject({ event: 'goodbye', reason: 'frame_timeout' });
      await raw.closedByServer();
    } finally {
      await t.close();
    }
  });

  it('drops a client that never reads its replies', async () => {
    const dropped: unknown[] = [];
    const t = await startTestServer({
      maxOutputBytes: 64 * 1024,
      writeStallTimeoutMs: 500,
      log: (entry) => entry.msg === 'connection dropped' && dropped.push(entry),
    });
    try {
      const raw = await t.raw();
      raw.socket.pause();
      const bystander = await t.client();
      // Each search reply is large; the client reads none of them.
      const { client, token } = await t.user();
      for (let i = 0; i < 20; i++) await client.request('add_contact', { nom: `Nom${i}`, notes: 'x'.repeat(5000) });
      raw.write(JSON.stringify({ id: 0, action: 'resume_session', session_token: token }) + '\n');
      const burst = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: i + 1, action: 'list_contacts', limit: 20 })).join('\n') + '\n';
      raw.write(burst);
      await expect.poll(() => dropped, { timeout: 10_000 }).toEqual([expect.objectContaining({ reason: 'too_slow' })]);
      // Reading again, the client finds its connection closed.
      raw.socket.resume();
      await raw.closedByServer(10_000);
      expect((await bystander.request('ping')).pong).toBe(true);
    } finally {
      await t.close();
    }
  });
});
