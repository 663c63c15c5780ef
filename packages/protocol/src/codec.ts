/** One JSON object per line, UTF-8, "\n"-terminated. */

export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
/** The largest reply a client reads; the server answers reply_too_large instead of a larger one. */
export const MAX_REPLY_BYTES = 64 * DEFAULT_MAX_FRAME_BYTES;

export class FrameTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`frame exceeds ${limit} bytes`);
  }
}

export function encodeFrame(message: unknown): string {
  // JSON.stringify escapes "\n" inside strings, so a frame is always one line.
  return JSON.stringify(message) + '\n';
}

/**
 * Splits a byte stream into lines without ever buffering more than `maxFrameBytes`
 * of an unfinished line. Bytes are kept as Buffers until a line is complete so that
 * a multi-byte character split across chunks decodes correctly.
 */
export class LineDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Returns the complete lines in `chunk`; throws FrameTooLargeError once a line passes the limit. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) break;
      const piece = chunk.subarray(start, nl);
      if (this.pendingBytes + piece.length > this.maxFrameBytes) throw new FrameTooLargeError(this.maxFrameBytes);
      const line = this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      lines.push(stripCr(line.toString('utf8')));
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      if (this.pendingBytes + rest.length > this.maxFrameBytes) throw new FrameTooLargeError(this.maxFrameBytes);
      // Copy: the caller's chunk buffer may be reused.
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
    }
    return lines;
  }

  get bufferedBytes(): number {
    return this.pendingBytes;
  }
}

/** Tolerates "\r\n" line ends, as sent by netcat -C or telnet. */
function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
