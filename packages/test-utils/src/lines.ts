/**
 * Reading the server's JSON lines off a raw stream, with the protocol's own LineDecoder (the
 * one the client and the server use), for tests and tools that speak bytes no client would.
 */
import { LineDecoder, MAX_REPLY_BYTES } from '@annuaire/protocol';
import net from 'node:net';
import type { Readable } from 'node:stream';

/**
 * Calls `onLine` with each whole line `stream` sends, then `onChunk` once the chunk's lines
 * are all delivered. A line longer than `maxLineBytes` throws (FrameTooLargeError).
 */
export function onLines(stream: Readable, onLine: (line: string) => void, onChunk: () => void = () => {}, maxLineBytes = MAX_REPLY_BYTES): void {
  const decoder = new LineDecoder(maxLineBytes);
  stream.on('data', (chunk: Buffer | string) => {
    for (const line of decoder.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)) onLine(line);
    onChunk();
  });
}

/** A TCP connection to `host:port`, once connected. */
export function connectTcp(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host, () => resolve(s));
    s.once('error', reject);
  });
}

/**
 * A raw connection that hands each line it receives to `receive()` (the subclass keeps it
 * where its tests look) and lets them wait for what they expect, or for the server's close.
 */
export abstract class LineConnection {
  closed = false;
  private waiters: (() => void)[] = [];

  protected constructor(readonly socket: net.Socket) {
    onLines(socket, (line) => this.receive(line), () => this.wake());
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    // Writing into a connection the server has closed fails: the tests expect that.
    socket.on('error', () => {});
  }

  protected abstract receive(line: string): void;

  /**
   * Waits until `ready()` holds or the connection is closed (true), or `timeoutMs` passes
   * (false). Checks again on every chunk received, and at least every `pollMs`.
   */
  protected async waitFor(ready: () => boolean, timeoutMs: number, pollMs = timeoutMs): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!ready() && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, pollMs));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
