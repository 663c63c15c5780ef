/**
 * The pre-handshake TLS mode of the fuzzer, shared by test/fuzz-tls.test.ts (short, in the
 * suite) and scripts/fuzz.ts (`pnpm fuzz -- --pre-handshake 1100`, long): waves of hostile
 * TCP connections from one address (127.0.0.2) to a TLS server that never finish their
 * handshake (silent, a record header and then nothing, garbage, a byte now and then),
 * while a real client from 127.0.0.1 keeps connecting. Checked for each wave:
 * - the server holds at most its per-address cap of them (the rest are closed at once);
 * - a real client completes its handshake and a ping meanwhile;
 * - every one of them is closed by the server within the handshake timeout (plus slack).
 */
import { connect } from '@annuaire/protocol';
import fc from 'fast-check';
import net from 'node:net';

export interface PreHandshakeOptions {
  port: number;
  /** The server's certificate, trusted by the real client. */
  ca: Buffer;
  /** Hostile connections per wave. */
  connections: number;
  waves: number;
  /** The server's --max-per-address and --tls-handshake-timeout. */
  perAddressCap: number;
  handshakeTimeoutMs: number;
  seed: number;
  log?: (line: string) => void;
}

export interface PreHandshakeReport {
  waves: number;
  opened: number;
  /** Most hostile connections the server held open at once. */
  maxHeld: number;
  /** Slowest real client (handshake + ping) while a wave was held. */
  realClientMaxMs: number;
  behaviours: Record<string, number>;
  failures: string[];
}

type Behaviour = 'silent' | 'record_header' | 'garbage' | 'drip';
const behaviour = fc.constantFrom<Behaviour>('silent', 'record_header', 'garbage', 'drip');
const ATTACKER = '127.0.0.2';

/** One hostile connection, once connected; `closedAt` is set when the server closes it. */
async function hostile(port: number, kind: Behaviour, bytes: Buffer) {
  let closedAt: number | undefined;
  let drip: NodeJS.Timeout | undefined;
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: ATTACKER }, () => {
    connected();
    if (kind === 'record_header') socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]));
    if (kind === 'garbage') socket.write(bytes);
    if (kind === 'drip') {
      // A handshake record that arrives a byte at a time, never complete.
      let i = 0;
      const record = Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00]), bytes]);
      drip = setInterval(() => {
        if (i < record.length && !socket.destroyed) socket.write(record.subarray(i, ++i));
      }, 100);
    }
  });
  socket.on('error', () => connected());
  // Read, or a close after bytes (a TLS alert) is never seen.
  socket.resume();
  socket.on('close', () => {
    closedAt = Date.now();
    clearInterval(drip);
    connected();
  });
  await ready;
  return {
    get closedAt() {
      return closedAt;
    },
    destroy: () => socket.destroy(),
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; !condition(); ) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

export async function runPreHandshake(o: PreHandshakeOptions): Promise<PreHandshakeReport> {
  const report: PreHandshakeReport = { waves: 0, opened: 0, maxHeld: 0, realClientMaxMs: 0, behaviours: {}, failures: [] };
  const slackMs = 5000;
  for (let wave = 0; wave < o.waves && report.failures.length < 20; wave++) {
    const kinds = fc.sample(behaviour, { seed: o.seed + wave, numRuns: o.connections });
    const garbage = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 300 }), { seed: o.seed - wave, numRuns: o.connections });
    const openedAt = Date.now();
    // Opened a hundred at a time: more at once overflow the kernel's accept queue, and a
    // connection the server accepts seconds later would look held too long.
    const conns: Awaited<ReturnType<typeof hostile>>[] = [];
    for (let i = 0; i < kinds.length; i += 100) {
      const batch = kinds.slice(i, i + 100).map((kind, k) => {
        report.behaviours[kind] = (report.behaviours[kind] ?? 0) + 1;
        return hostile(o.port, kind, Buffer.from(garbage[i + k]!));
      });
      conns.push(...(await Promise.all(batch)));
    }
    report.opened += conns.length;
    // Those over the cap are closed at once; the rest are held until their handshake times out.
    const held = () => conns.filter((c) => c.closedAt === undefined).length;
    await until(() => held() <= o.perAddressCap, Math.min(o.handshakeTimeoutMs, 2000));
    report.maxHeld = Math.max(report.maxHeld, held());
    if (held() > o.perAddressCap && Date.now() - openedAt < o.handshakeTimeoutMs) {
      report.failures.push(`wave ${wave}: ${held()} connections held, over the cap of ${o.perAddressCap}`);
    }
    const started = Date.now();
    try {
      const client = await connect('localhost', o.port, { tls: { ca: o.ca } });
      await client.request('ping');
      await client.close();
      report.realClientMaxMs = Math.max(report.realClientMaxMs, Date.now() - started);
    } catch (err) {
      report.failures.push(`wave ${wave}: a real client failed beside the flood: ${(err as Error).message}`);
    }
    const allClosed = await until(() => held() === 0, o.handshakeTimeoutMs + slackMs);
    if (!allClosed) report.failures.push(`wave ${wave}: ${held()} connections still open past the handshake timeout`);
    const late = conns.filter((c) => c.closedAt !== undefined && c.closedAt - openedAt > o.handshakeTimeoutMs + slackMs).length;
    if (late > 0) report.failures.push(`wave ${wave}: ${late} connections closed only after the handshake timeout`);
    for (const c of conns) c.destroy();
    report.waves++;
    o.log?.(`  pre-handshake wave ${wave + 1}/${o.waves}: ${conns.length} opened, at most ${report.maxHeld} held, all closed after ${Date.now() - openedAt} ms`);
  }
  return report;
}
