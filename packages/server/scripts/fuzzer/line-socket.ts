/** The fuzzer's raw connection: the server's lines as they come, replies and events apart. */
import { Response, ServerEvent } from '@annuaire/protocol';
import net from 'node:net';
import { NL } from './values';

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
