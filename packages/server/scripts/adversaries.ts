/**
 * Hostile clients of the shapes an attack on the running server used (issue 8), each with
 * the invariant it must not break. `pnpm fuzz --adversaries` runs them for long against the
 * built server; test/adversaries.test.ts runs them at small scale in the suite.
 *
 * - guessing: password guesses at one account on many connections at once;
 * - non-readers: logged-in connections asking for large replies and never reading them;
 * - floods: a slow request (a login queued behind busy hashing) with megabytes pipelined behind it.
 *
 * Meanwhile a bystander (another user) keeps reading its own contacts; its latency is the
 * measure of what the attack costs everyone else.
 */
import { connect, type AnnuaireClient } from '@annuaire/protocol';
import { LineSocket, readHello } from './fuzz-core';

const line = (o: object) => JSON.stringify(o) + '\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function account(port: number, username: string, password: string): Promise<{ client: AnnuaireClient; token: string }> {
  const client = await connect('127.0.0.1', port);
  await client.request('create_account', { username, password });
  const { session_token } = await client.request('login', { username, password });
  return { client, token: session_token };
}

async function openRaw(port: number): Promise<LineSocket> {
  const sock = await LineSocket.open(port);
  await readHello(sock);
  return sock;
}

export interface GuessingReport {
  guesses: number;
  /** Guesses whose password was actually checked (answered invalid_credentials or ok). */
  checked: number;
  throttled: number;
  /** The right password, sent inside a burst past the free checks, logged in: must be 0. */
  rightPasswordAccepted: number;
}

/**
 * Bursts of `connections` simultaneous logins at one account, the right password placed
 * last in each burst. With the free failures per user at `freeFailures`, no burst may
 * have more than that many checks, and the right password must never get through.
 */
export async function guessing(port: number, opts: { connections: number; bursts: number; freeFailures: number; tag: string }): Promise<GuessingReport> {
  const username = `cible-${opts.tag}`;
  const password = 'motdepasse-cible';
  void (await account(port, username, password)).client.close();
  const socks = await Promise.all(Array.from({ length: opts.connections }, () => openRaw(port)));
  const report: GuessingReport = { guesses: 0, checked: 0, throttled: 0, rightPasswordAccepted: 0 };
  for (let b = 0; b < opts.bursts; b++) {
    for (const s of socks) s.consume();
    await Promise.all(
      socks.map((s, i) => s.write(line({ id: i, action: 'login', username, password: i === socks.length - 1 ? password : `devine-${b}-${i}` }))),
    );
    await Promise.all(socks.map((s) => s.waitLines(1, 30_000)));
    let checkedNow = 0;
    socks.forEach((s, i) => {
      const reply = JSON.parse(s.lines[0] ?? '{}') as { ok?: boolean; error?: { code?: string } };
      report.guesses++;
      if (reply.ok || reply.error?.code === 'invalid_credentials') checkedNow++;
      else report.throttled++;
      if (reply.ok && i === socks.length - 1 && i >= opts.freeFailures) report.rightPasswordAccepted++;
    });
    if (checkedNow > opts.freeFailures) throw new Error(`burst ${b}: ${checkedNow} guesses checked, more than the ${opts.freeFailures} free`);
    report.checked += checkedNow;
  }
  for (const s of socks) s.destroy();
  return report;
}

export interface LoadReport {
  /** Connections the server dropped as too slow (non-readers) or that it closed. */
  closedByServer: number;
  /** Megabytes the attackers asked for (non-readers) or sent (floods). */
  megabytes: number;
}

/**
 * Logged-in connections that each ask for `requests` exports of their ~1 MB annuaire and
 * never read. `dropped` counts the server's too_slow drops (from its log): a client that
 * never reads cannot see its connection close, so the server's word is the measure.
 */
export async function nonReaders(
  port: number,
  opts: { connections: number; requests: number; tag: string; dropped: () => number; timeoutMs: number },
): Promise<LoadReport> {
  const { client, token } = await account(port, `lecteur-${opts.tag}`, 'motdepasse-lecteur');
  for (let i = 0; i < 100; i++) await client.request('add_contact', { nom: `Nom${i}`, notes: 'n'.repeat(9000) });
  await client.close();
  const before = opts.dropped();
  const socks = await Promise.all(Array.from({ length: opts.connections }, () => openRaw(port)));
  for (const s of socks) {
    s.socket.pause();
    const asks = Array.from({ length: opts.requests }, (_, k) => line({ id: k + 1, action: 'export_contacts', format: 'csv' }));
    void s.write(line({ id: 0, action: 'resume_session', session_token: token }) + asks.join(''));
  }
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline && opts.dropped() - before < opts.connections) await sleep(100);
  const closedByServer = opts.dropped() - before;
  for (const s of socks) s.destroy();
  return { closedByServer, megabytes: opts.connections * opts.requests * 0.9 };
}

/**
 * Connections that each send a login (slow: hashing is kept busy by `busyLogins` others)
 * followed by `megabytes` of pipelined requests, then wait for every reply.
 */
export async function floods(port: number, opts: { connections: number; megabytes: number; busyLogins: number; tag: string }): Promise<LoadReport> {
  const username = `inonde-${opts.tag}`;
  const password = 'motdepasse-inonde';
  void (await account(port, username, password)).client.close();
  const busy = await Promise.all(Array.from({ length: opts.busyLogins }, () => connect('127.0.0.1', port)));
  const busyDone = Promise.allSettled(busy.map((c) => c.request('login', { username, password })));
  const request = line({ id: 2, action: 'ping', pad: 'p'.repeat(1000) });
  const flood = request.repeat(Math.ceil((opts.megabytes * 2 ** 20) / request.length));
  const socks = await Promise.all(Array.from({ length: opts.connections }, () => openRaw(port)));
  const expected = Math.ceil((opts.megabytes * 2 ** 20) / request.length) + 1;
  await Promise.all(socks.map((s) => s.write(line({ id: 1, action: 'login', username, password }) + flood)));
  await Promise.all(socks.map((s) => s.waitLines(expected, 120_000)));
  await busyDone;
  const closedByServer = socks.filter((s) => s.closed).length;
  for (const s of socks) s.destroy();
  for (const c of busy) await c.close();
  return { closedByServer, megabytes: opts.connections * opts.megabytes };
}

export interface BystanderReport {
  rounds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: string[];
}

/** Another user reading its own contacts in a loop; stop() tells its latencies. */
export async function startBystander(port: number, tag: string) {
  const { client } = await account(port, `passant-${tag}`, 'motdepasse-passant');
  const ids: number[] = [];
  for (let i = 0; i < 20; i++) ids.push((await client.request('add_contact', { nom: `Passant${i}`, prenom: 'Léa' })).contact.id);
  const times: number[] = [];
  const errors: string[] = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      try {
        await client.request('get_contact', { contact_id: ids[times.length % ids.length]! });
        await client.request('search_contacts', { query: 'pass' });
      } catch (err) {
        errors.push(String(err));
        return;
      }
      times.push(performance.now() - t0);
      await sleep(10);
    }
  })();
  return {
    async stop(): Promise<BystanderReport> {
      stopped = true;
      await done;
      await client.close();
      const sorted = [...times].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      const round = (n: number) => Math.round(n * 10) / 10;
      return { rounds: times.length, p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(sorted.at(-1) ?? 0), errors };
    },
  };
}
