import { parseArgs } from 'node:util';
import type { Language } from '@annuaire/protocol';
import { pickLanguage } from './i18n';

export interface CliOptions {
  host: string;
  port: number;
  lang: Language;
  help: boolean;
  /** Talk TLS; an unknown certificate is pinned on first use (~/.config/annuaire/known_hosts), unless `ca` is given. */
  tls: boolean;
  /** A private CA's certificate (PEM file): the server's certificate is verified against it, nothing is pinned. Implies tls. */
  ca?: string;
  /** Neither --host, --port nor --tls: start a server in-process when none answers on the default address. */
  mayEmbed: boolean;
  /** The embedded server's data directory: --data-dir, else ANNUAIRE_DATA_DIR (as the server's own), else its default. */
  dataDir?: string;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7878;

/** Parses the command line; throws an Error with a readable message on a bad option. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      tls: { type: 'boolean' },
      'data-dir': { type: 'string' },
      ca: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.lang !== undefined && values.lang !== 'fr' && values.lang !== 'en') throw new Error(`--lang ${values.lang} (fr|en)`);
  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) throw new Error(`--port ${values.port} (1-65535)`);
  }
  if (values['data-dir'] === '') throw new Error('--data-dir (a directory)');
  if (values.ca === '') throw new Error('--ca (a PEM file)');
  const tls = (values.tls ?? false) || values.ca !== undefined;
  const dataDir = values['data-dir'] ?? (env.ANNUAIRE_DATA_DIR || undefined);
  return {
    host: values.host ?? DEFAULT_HOST,
    port,
    lang: pickLanguage(values.lang, env),
    help: values.help ?? false,
    tls,
    // The in-process server speaks plain TCP on loopback: --tls means a server of its own.
    mayEmbed: values.host === undefined && values.port === undefined && !tls,
    ...(dataDir ? { dataDir } : {}),
    ...(values.ca !== undefined ? { ca: values.ca } : {}),
  };
}
