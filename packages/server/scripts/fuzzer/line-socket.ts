/** The fuzzer's raw connection: the server's lines as they come, replies and events apart. */
import { Response, ServerEvent } from '@annuaire/protocol';
import { connectTcp, LineConnection } from '@annuaire/test-utils';

/** A socket that collects the server's lines. */
export class LineSocket extends LineConnection {
  readonly lines: string[] = [];
  /** Live-change events (contacts_changed, resync_required): a stream beside the replies, kept apart. */
  readonly events: string[] = [];
  /** Set when the server's goodbye arrives: the connection is ending, send nothing more on it. */
  saidGoodbye = false;

  static async open(port: number, host = '127.0.0.1'): Promise<LineSocket> {
    const socket = await connectTcp(port, host);
    socket.setNoDelay(true);
    return new LineSocket(socket);
  }

  protected receive(line: string): void {
    if (line.startsWith('{"event":"goodbye"')) this.saidGoodbye = true;
    if (line.startsWith('{"event":"contacts_changed"') || line.startsWith('{"event":"resync_required"')) this.events.push(line);
    else this.lines.push(line);
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
  waitLines(count: number, timeoutMs: number): Promise<boolean> {
    return this.waitFor(() => this.lines.length >= count, timeoutMs, 1000);
  }

  /** Forgets the lines read so far (a long run keeps one socket for many batches). */
  consume(): void {
    this.lines.length = 0;
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
