/**
 * The checker: sends frames over a LineSocket and holds every reply to the rules (a valid
 * Response, the request's id echoed, no internal_error, a goodbye before any close), counting
 * what came back; and the special cases (a frame split at every byte, an oversize line).
 */
import { Response, ServerEvent } from '@annuaire/protocol';
import type { LineSocket } from './line-socket';
import { expectsReply, NL, text, type Frame } from './values';

export interface FuzzStats {
  frames: number;
  bytes: number;
  replies: number;
  /** Replies by outcome: "ok" or the error code. */
  byCode: Record<string, number>;
  /** Frames by kind. */
  byKind: Record<string, number>;
  /** Server-initiated closes by goodbye reason ("none" if there was no goodbye). */
  closes: Record<string, number>;
  /** Frames never answered because the server closed the connection first. */
  unanswered: number;
  /** Everything that broke a rule, with the frame that did it. */
  failures: string[];
}

export function newStats(): FuzzStats {
  return { frames: 0, bytes: 0, replies: 0, byCode: {}, byKind: {}, closes: {}, unanswered: 0, failures: [] };
}

const bump = (m: Record<string, number>, k: string, n = 1) => (m[k] = (m[k] ?? 0) + n);

function describeFrame(f: Frame): string {
  const head = f.bytes.subarray(0, 160).toString('utf8');
  return `${f.kind} (${f.bytes.length} bytes): ${JSON.stringify(head)}${f.bytes.length > 160 ? '…' : ''}`;
}

/**
 * Sends `frames` over one connection, as one pipelined write (or byte by byte when
 * `split` is set), and checks every reply. Returns after every owed reply has arrived
 * or the server has closed the connection.
 */
export async function sendAndCheck(sock: LineSocket, frames: Frame[], stats: FuzzStats, options: { split?: boolean; timeoutMs?: number; secret?: string } = {}): Promise<void> {
  const start = sock.lines.length;
  const owed = frames.filter((f) => expectsReply(f.bytes));
  for (const f of frames) {
    stats.frames++;
    stats.bytes += f.bytes.length + 1;
    bump(stats.byKind, f.kind);
  }
  const payload = Buffer.concat(frames.flatMap((f) => [f.bytes, Buffer.from([NL])]));
  if (options.split) {
    for (let i = 0; i < payload.length; i++) void sock.write(payload.subarray(i, i + 1));
  } else void sock.write(payload);
  // Events (a goodbye) are not replies: wait for as many more lines as events came.
  let events = -1;
  let done = true;
  for (;;) {
    const seen = sock.lines.slice(start).filter((l) => l.startsWith('{"event"')).length;
    if (seen === events) break;
    events = seen;
    done = await sock.waitLines(start + owed.length + events, options.timeoutMs ?? 60_000);
    if (!done) break;
  }
  if (!done) {
    stats.failures.push(`no reply within the time-out: ${sock.lines.length - start} of ${owed.length} replies came; last frame sent: ${describeFrame(frames.at(-1)!)}`);
    return;
  }
  // Lines that came: replies in order, then perhaps a goodbye.
  let k = 0;
  let goodbye: string | undefined;
  for (const line of sock.events.splice(0)) {
    if (options.secret && line.includes(options.secret)) stats.failures.push(`an event shows another account's data: ${line.slice(0, 200)}`);
    if (!ServerEvent.safeParse(JSON.parse(line)).success) stats.failures.push(`malformed event: ${line.slice(0, 200)}`);
  }
  for (const line of sock.lines.slice(start)) {
    if (options.secret && line.includes(options.secret)) {
      stats.failures.push(`a reply shows another account's data: ${line.slice(0, 200)}`);
    }
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      stats.failures.push(`the server sent a line that is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
      continue;
    }
    if (msg !== null && typeof msg === 'object' && 'event' in msg) {
      const ev = ServerEvent.safeParse(msg);
      if (!ev.success) stats.failures.push(`malformed event: ${line.slice(0, 200)}`);
      else if (ev.data.event === 'goodbye') goodbye = ev.data.reason;
      else stats.failures.push(`unexpected event: ${line.slice(0, 200)}`);
      continue;
    }
    const parsed = Response.safeParse(msg);
    const frame = owed[k];
    if (!frame) {
      // Only frame_too_large answers a frame that never finished (id null), then says goodbye.
      if (parsed.success && !parsed.data.ok && parsed.data.error.code === 'frame_too_large') {
        bump(stats.byCode, 'frame_too_large');
        stats.replies++;
        continue;
      }
      stats.failures.push(`a reply no frame asked for: ${line.slice(0, 200)}`);
      continue;
    }
    k++;
    stats.replies++;
    if (!parsed.success) {
      stats.failures.push(`reply is not a valid Response: ${line.slice(0, 300)} — to ${describeFrame(frame)}`);
      continue;
    }
    const reply = parsed.data;
    bump(stats.byCode, reply.ok ? 'ok' : reply.error.code);
    if (frame.expectId !== undefined && reply.id !== frame.expectId) {
      // frame_too_large answers the unfinished line with id null; everything else must echo.
      if (!(reply.ok === false && reply.error.code === 'frame_too_large')) {
        stats.failures.push(`reply id ${JSON.stringify(reply.id)} instead of ${JSON.stringify(frame.expectId)} — to ${describeFrame(frame)}`);
      }
    }
    if (!reply.ok && reply.error.code === 'internal_error') {
      stats.failures.push(`internal_error — to ${describeFrame(frame)}`);
    }
    if (!reply.ok && reply.error.message.length === 0) stats.failures.push(`an error without a message — to ${describeFrame(frame)}`);
  }
  if (k < owed.length) {
    // The server closed first. Clean only if it said why.
    stats.unanswered += owed.length - k;
    bump(stats.closes, goodbye ?? 'none');
    if (!goodbye) stats.failures.push(`connection closed without a goodbye after ${k} of ${owed.length} replies; next frame: ${describeFrame(owed[k]!)}`);
  } else if (goodbye) bump(stats.closes, goodbye);
}

/**
 * A frame split between every pair of bytes: the first part, a pause long enough for the
 * server to read it on its own, then the rest. The id holds multi-byte characters, so a
 * character cut in two must still come back whole.
 */
export async function splitAtEveryByte(sock: LineSocket, stats: FuzzStats, pauseMs = 2): Promise<void> {
  const id = 'é🎉ü-' + Date.now();
  const frame = text(JSON.stringify({ id, action: 'ping' }));
  for (let cut = 1; cut < frame.length; cut++) {
    const before = sock.lines.length;
    await sock.write(frame.subarray(0, cut));
    await new Promise((r) => setTimeout(r, pauseMs));
    await sock.write(Buffer.concat([frame.subarray(cut), Buffer.from([NL])]));
    stats.frames++;
    bump(stats.byKind, 'split_frame');
    if (!(await sock.waitLines(before + 1, 20_000)) || sock.closed) {
      stats.failures.push(`no reply to a frame split at byte ${cut}`);
      return;
    }
    stats.replies++;
    const reply = Response.safeParse(JSON.parse(sock.lines[before]!));
    if (!reply.success || !reply.data.ok || reply.data.id !== id) {
      stats.failures.push(`frame split at byte ${cut}: ${sock.lines[before]}`);
    } else bump(stats.byCode, 'ok');
  }
}

/** A line of `megabytes` MB: the server must answer frame_too_large, say goodbye and close. */
export async function oversizeLine(sock: LineSocket, stats: FuzzStats, megabytes: number): Promise<void> {
  const start = sock.lines.length;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  await sock.write('{"id":1,"action":"ping","pad":"');
  stats.frames++;
  bump(stats.byKind, 'oversize_line');
  for (let sent = 0; sent < megabytes * 1024 * 1024 && !sock.closed; sent += chunk.length) await sock.write(chunk);
  await sock.write('"}\n');
  if (!(await sock.waitLines(start + 2, 20_000))) stats.failures.push('no reply to a line of several MB');
  const got = sock.lines.slice(start).map((l) => JSON.parse(l) as Record<string, unknown>);
  const reply = Response.safeParse(got[0]);
  const bye = ServerEvent.safeParse(got[1]);
  if (!reply.success || reply.data.ok || reply.data.error.code !== 'frame_too_large') {
    stats.failures.push(`a line of ${megabytes} MB got ${JSON.stringify(got[0])}`);
  } else bump(stats.byCode, 'frame_too_large');
  if (!bye.success || bye.data.event !== 'goodbye') stats.failures.push(`no goodbye after a line of ${megabytes} MB: ${JSON.stringify(got[1])}`);
  else bump(stats.closes, bye.data.reason);
  stats.replies++;
}
