/**
 * The built server bin (packages/server/dist/cli.js) as a child process, for tests that
 * must kill it, signal it or watch its memory. `pnpm test` builds before running tests;
 * while developing, run `node scripts/build.mjs` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onLines } from '@annuaire/test-utils';

export const SERVER_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

export interface SpawnedServer {
  proc: ChildProcess;
  port: number;
  /** Every JSON log line the server has written so far. */
  logs: Record<string, unknown>[];
  /** stderr so far, for failure messages. */
  stderr(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** True while the process runs. */
  alive(): boolean;
  /** Resident set size in bytes (Linux /proc), or undefined where unavailable. */
  rssBytes(): number | undefined;
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

export function assertBuilt(): void {
  if (!existsSync(SERVER_BIN)) throw new Error(`${SERVER_BIN} is missing: run \`node scripts/build.mjs\` first`);
}

/**
 * Starts `annuaire-server --port 0 --data-dir <dir>` and resolves once its
 * "listening" log line gives the port. Rejects if it exits first or takes over `timeoutMs`.
 */
export async function spawnServer(dataDir: string, extraArgs: string[] = [], timeoutMs = 20_000): Promise<SpawnedServer> {
  assertBuilt();
  const proc = spawn(process.execPath, [SERVER_BIN, '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let err = '';
  const exited = new Promise<number | string>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  let exitedYet = false;
  void exited.then(() => (exitedYet = true));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`the server did not start within ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    onLines(proc.stdout!, (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'listening' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        // not a log line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening; stderr: ${err}`));
    });
  });
  return {
    proc,
    port,
    logs,
    stderr: () => err,
    exited,
    alive: () => !exitedYet,
    rssBytes() {
      try {
        const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
        const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
        return kb ? Number(kb) * 1024 : undefined;
      } catch {
        return undefined;
      }
    },
    kill(signal) {
      if (!exitedYet) proc.kill(signal);
      return exited;
    },
  };
}
