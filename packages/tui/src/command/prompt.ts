import { createInterface } from 'node:readline';
import type { Io } from './io';

/** One line of standard input: typed at the prompt on a terminal, or the next line of a pipe. */
export function askLine(io: Io, prompt: string, tty: boolean): Promise<string> {
  if (tty) io.stderr.write(prompt);
  return nextLine(io);
}

let lines: AsyncIterator<string> | null = null;

async function nextLine(io: Io): Promise<string> {
  lines ??= createInterface({ input: io.stdin, terminal: false })[Symbol.asyncIterator]();
  const next = await lines.next();
  return next.done ? '' : next.value;
}

/** A password: typed without echo on a terminal, else the next line of standard input (for scripts). */
export async function askPassword(io: Io, prompt: string, tty: boolean): Promise<string> {
  if (!tty) return nextLine(io);
  io.stderr.write(prompt);
  const stdin = io.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  let typed = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            return resolve(typed);
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            return reject(new Error('interrupted'));
          }
          if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
          else typed += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    io.stderr.write('\n');
  }
}
