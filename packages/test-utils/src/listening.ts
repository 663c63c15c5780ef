import type { ChildProcess } from 'node:child_process';
import { onLines } from './lines';

/**
 * The port of a server bin started with `--port 0`, read from its "listening" log line on
 * stdout (spawn it with stdout piped); rejects if the process exits first.
 */
export function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    onLines(child.stdout!, (line) => {
      if (line.includes('"listening"')) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}
