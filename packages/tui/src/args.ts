import { parseArgs } from 'node:util';
import type { Language } from '@annuaire/protocol';
import { pickLanguage, translate, type MessageKey, type Vars } from './i18n';

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

/** A bad command line, worded later in the user's language (`message` is the English wording). */
export class CliError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly vars: Vars,
  ) {
    super(translate('en', key, vars));
    this.name = 'CliError';
  }
}

/** The language to word an argument error in: --lang if it is readable, else the environment's. */
export function languageOf(argv: string[], env: NodeJS.ProcessEnv): Language {
  const at = argv.indexOf('--lang');
  const inline = argv.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);
  return pickLanguage(inline ?? (at >= 0 ? argv[at + 1] : undefined), env);
}

/** node:util's parse errors as our own, wordable in either language. */
function parseError(err: unknown): CliError {
  const { code, message } = err as { code?: string; message?: string };
  const quoted = /'([^']*)'/.exec(message ?? '')?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new CliError('cli.unknownOption', { option: quoted });
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new CliError('cli.unexpectedArgument', { argument: quoted });
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new CliError('cli.missingValue', { option: /(--[\w-]+)/.exec(message ?? '')?.[1] ?? quoted });
  return new CliError('cli.invalid', { message: message ?? String(err) });
}

/**
 * Parses the command line; throws a CliError on a bad option. A `--` on its own is skipped: it is
 * how npm and pnpm pass flags through (`pnpm start -- --data-dir X`), and no option takes one.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  let parsed;
  try {
    parsed = parse(argv.filter((a) => a !== '--'));
  } catch (err) {
    throw parseError(err);
  }
  const { values } = parsed;
  if (values.lang !== undefined && values.lang !== 'fr' && values.lang !== 'en') throw new CliError('cli.badValue', { option: '--lang', value: values.lang, expected: 'fr|en' });
  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) throw new CliError('cli.badValue', { option: '--port', value: values.port, expected: '1-65535' });
  }
  if (values['data-dir'] === '') throw new CliError('cli.missingValue', { option: '--data-dir' });
  if (values.ca === '') throw new CliError('cli.missingValue', { option: '--ca' });
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

function parse(argv: string[]) {
  return parseArgs({
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
}
