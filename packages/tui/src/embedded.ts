import { connect } from '@annuaire/protocol';
import type { CliOptions } from './args';

export interface ServerChoice {
  /** Set when a server was started in this process. */
  embedded?: { close(): Promise<void> };
  /** Its data directory, shown in the status bar. */
  dataDir?: string;
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

type Start = (o: { host: string; port: number; dataDir: string }) => Promise<{ close(): Promise<void> }>;

/**
 * `pnpm start` must give a working app with one command: when no --host/--port was given and
 * nothing answers on the default address, start a server in this process on the default data
 * directory. With --host or --port, never: the user named a server, and we say if it is not there.
 */
export async function chooseServer(options: Pick<CliOptions, 'host' | 'port' | 'mayEmbed'>, load: () => Promise<{ startServer: Start; defaultDataDir: () => string }>, dataDir?: string): Promise<ServerChoice> {
  if (!options.mayEmbed || (await answers(options.host, options.port))) return {};
  const server = await load();
  const dir = dataDir ?? server.defaultDataDir();
  try {
    return { embedded: await server.startServer({ host: options.host, port: options.port, dataDir: dir }), dataDir: dir };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
