import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from '@annuaire/protocol';
import type { CliOptions } from '../args';

/** A server running in this process. */
export interface Embedded {
  port: number;
  clientCount(): number;
  close(): Promise<void>;
}

export interface ServerChoice {
  /** Set when a server was started in this process. */
  embedded?: Embedded;
  /** The server's data directory, when we know it (ours, or another annuaire's on the same directory). */
  dataDir?: string;
  /** The port to talk to when it is not the one asked for (ours on a free port, or another annuaire's). */
  port?: number;
  /** Set when we joined the server another annuaire started on the same data directory: its pid. */
  sharedWith?: number;
  /** Why starting one failed (the app then says it cannot reach the address). */
  error?: string;
}

/** True when an annuaire server greets us at host:port. */
export async function answers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  try {
    const client = await connect(host, port, { connectTimeoutMs: timeoutMs });
    await client.close();
    return true;
  } catch {
    return false;
  }
}

type Start = (o: { host: string; port: number; dataDir: string }) => Promise<Embedded>;

/** Where an annuaire that embeds a server on a data directory says so: its pid and port. */
export const RUNNING_FILE = 'embedded-server.json';

interface Running {
  pid: number;
  port: number;
}

function readRunning(dataDir: string): Running | null {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dataDir, RUNNING_FILE), 'utf8')) as Partial<Running>;
    return typeof parsed.pid === 'number' && typeof parsed.port === 'number' ? { pid: parsed.pid, port: parsed.port } : null;
  } catch {
    return null;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The server on `dataDir` another annuaire embedded, if it still answers. */
async function runningOn(host: string, dataDir: string): Promise<Running | null> {
  const running = readRunning(dataDir);
  if (!running || !alive(running.pid)) return null;
  return (await answers(host, running.port)) ? running : null;
}

/**
 * `pnpm start` must give a working app with one command, and never a surprise about whose data it
 * shows:
 * - with --host, --port or --tls: never embed; the user named a server.
 * - without --data-dir (nor ANNUAIRE_DATA_DIR): the server answering on the default address if
 *   any (the status bar names it, not a data directory); else one started here on the default
 *   data directory.
 * - with a data directory: the server another annuaire embedded on that very directory if it is
 *   still up (it left its pid and port there), else one started here on it: on the default port
 *   when free, else on a free one. The directory is never ignored, whatever answers on 7878.
 * A server started here leaves its pid and port in the directory for the next annuaire, and
 * removes them when it stops.
 */
export async function chooseServer(options: Pick<CliOptions, 'host' | 'port' | 'mayEmbed'>, load: () => Promise<{ startServer: Start; defaultDataDir: () => string }>, dataDir?: string): Promise<ServerChoice> {
  if (!options.mayEmbed) return {};
  if (dataDir === undefined && (await answers(options.host, options.port))) return {};
  if (dataDir !== undefined) {
    const running = await runningOn(options.host, dataDir);
    if (running) return { dataDir, port: running.port, sharedWith: running.pid };
  }
  const server = await load();
  const dir = dataDir ?? server.defaultDataDir();
  try {
    let embedded: Embedded;
    try {
      embedded = await server.startServer({ host: options.host, port: options.port, dataDir: dir });
    } catch (err) {
      // Another server holds the default port: ours takes a free one (the status bar shows which).
      if (dataDir === undefined || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      embedded = await server.startServer({ host: options.host, port: 0, dataDir: dir });
    }
    const file = path.join(dir, RUNNING_FILE);
    writeFileSync(file, JSON.stringify({ pid: process.pid, port: embedded.port }) + '\n');
    const close = embedded.close.bind(embedded);
    const forget = () => {
      if (readRunning(dir)?.pid === process.pid && existsSync(file)) rmSync(file, { force: true });
    };
    return {
      embedded: { port: embedded.port, clientCount: () => embedded.clientCount(), close: () => (forget(), close()) },
      dataDir: dir,
      ...(embedded.port !== options.port ? { port: embedded.port } : {}),
    };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * After the UI has quit: a server started here is not pulled from under other clients. While any
 * is connected, it keeps serving (the caller says so and how to stop it) until the last one leaves
 * or `stop` resolves (Ctrl+C). Resolves once it is closed.
 */
export async function closeWhenAlone(embedded: Embedded, onWait: (clients: number) => void, stop: Promise<void>, pollMs = 200): Promise<void> {
  // Our own connection has just closed: give the server a moment to see it go.
  await new Promise((r) => setTimeout(r, 300));
  let stopped = false;
  void stop.then(() => (stopped = true));
  let told = -1;
  while (!stopped && embedded.clientCount() > 0) {
    const n = embedded.clientCount();
    if (n !== told) onWait(n);
    told = n;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  await embedded.close();
}
