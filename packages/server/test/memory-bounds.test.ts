import { exportAll } from '@annuaire/protocol';
import { describe, expect, it } from 'vitest';
import { protocolError, startTestServer, type RawConnection } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const line = (o: object) => JSON.stringify(o) + '\n';

describe('replies too large to send', () => {
  it('answers reply_too_large instead of sending (or dying on) a reply past the limit, and serves on', async () => {
    const t = await startTestServer({ maxReplyBytes: 200 * 1024 });
    try {
      const { client } = await t.user();
      for (let i = 0; i < 40; i++) await client.request('add_contact', { nom: `Nom${i}`, notes: 'n'.repeat(9000) });
      const err = await protocolError(client.request('export_contacts', { format: 'vcard' }));
      expect(err.code).toBe('reply_too_large');
      // The same connection and the server go on.
      expect((await client.request('list_contacts', { limit: 5 })).contacts).toHaveLength(5);
      expect((await (await t.client()).request('ping')).pong).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('a client pipelining behind a slow request', () => {
  it('is not read further once its queue is full: the flood waits in its own buffers, not the server’s', async () => {
    // Many logins of one account at once: lift the throttle's limit on parallel checks.
    const throttle = { freeFailuresPerUser: 1000, freeFailuresPerAddress: 1000, baseDelayMs: 1000, maxDelayMs: 60_000 };
    const t = await startTestServer({ maxQueuedRequests: 64, throttle });
    try {
      const { username, password } = await t.user();
      // Keep the password hashing busy so that the flood's first request (a login) waits.
      const others = await Promise.all(Array.from({ length: 40 }, () => t.client()));
      const busy = others.map((c) => c.request('login', { username, password }));
      const raw = await t.raw();
      await raw.next(); // hello
      // Long lines: the server could read all 24 MB in a few ms if it did not stop.
      const request = line({ id: 2, action: 'ping', pad: 'p'.repeat(1000) });
      const flood = request.repeat(Math.ceil((24 * 1024 * 1024) / request.length));
      raw.write(line({ id: 1, action: 'login', username, password }) + flood);
      await sleep(300);
      // Loopback buffers hold a few MB; the rest of the 24 MB must still be on the client's side.
      expect(raw.socket.writableLength).toBeGreaterThan(12 * 1024 * 1024);
      await Promise.all(busy);
      raw.socket.resume();
      let replies = 0;
      while (replies < 1000) if ((await raw.next()).id === 2) replies++;
    } finally {
      await t.close();
    }
  });
});

describe('memory shared by all connections', () => {
  it('stops reading unfinished lines past the total budget; the frame timer drops those that stay stuck; others are served', async () => {
    const t = await startTestServer({
      maxInputBytesTotal: 256 * 1024,
      maxFrameBytes: 128 * 1024,
      frameTimeoutMs: 1500,
    });
    try {
      const raws: RawConnection[] = [];
      for (let i = 0; i < 10; i++) {
        const r = await t.raw();
        await r.next(); // hello
        r.write(`{"id":${i},"action":"ping","pad":"${'x'.repeat(60 * 1024)}`);
        raws.push(r);
        await sleep(20);
      }
      await sleep(200);
      for (const r of raws) r.write('"}\n');
      await sleep(300);
      const answered = raws.filter((r) => r.pendingLines > 0).length;
      // 4 × 60 KiB fit in the budget; the fifth passes it and every later one is held.
      expect(answered).toBeGreaterThan(0);
      expect(answered).toBeLessThan(6);
      const bystander = await t.client();
      expect((await bystander.request('ping')).pong).toBe(true);
      // Held lines never finish: their connections are dropped, and the budget is free again.
      for (const r of raws.filter((r) => r.pendingLines === 0)) {
        expect(await r.next(3000)).toMatchObject({ event: 'goodbye', reason: 'frame_timeout' });
      }
      expect((await bystander.request('ping')).pong).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('drops the clients leaving the most replies unread once all of them together pass the budget', async () => {
    const dropped: Record<string, unknown>[] = [];
    const t = await startTestServer({
      maxOutputBytesTotal: 4 * 1024 * 1024,
      log: (entry) => entry.msg === 'connection dropped' && dropped.push(entry),
    });
    try {
      const { client, token } = await t.user();
      for (let i = 0; i < 100; i++) await client.request('add_contact', { nom: `Nom${i}`, notes: 'n'.repeat(9000) });
      const raws: RawConnection[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await t.raw();
        r.socket.pause(); // never reads
        // Each asks for ~1 MB of export, many times: far more than loopback buffers take.
        r.write(line({ id: 0, action: 'resume_session', session_token: token }));
        for (let k = 1; k <= 16; k++) r.write(line({ id: k, action: 'export_contacts', format: 'csv' }));
        raws.push(r);
      }
      await expect.poll(() => dropped.length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(dropped.every((d) => d.reason === 'too_slow')).toBe(true);
      // A client that reads is served meanwhile.
      // (The export comes in pages of about 512 KiB: all of them.)
      expect((await exportAll(client, { format: 'csv' })).count).toBe(100);
    } finally {
      await t.close();
    }
  });
});
