import { readFileSync } from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { DEFAULT_HOST, DEFAULT_PORT, defaultConfig, defaultDataDir } from './config';
import { stdoutLog } from './log';
import { readLimitsFile } from './limits-file';
import { startServer } from './server';
import { DatabaseDamaged } from './store/integrity';
import { backupDatabase } from './store/backup';
import { compactDatabase } from './store/db';
import { describeLegacy, importLegacy } from './legacy';
import { describeMove, moveToPostgres } from './move-to-postgres';

const HELP = `annuaire-server — the annuaire contact directory daemon (TCP, JSON lines)

Usage: annuaire-server [options]
       annuaire-server backup DEST [--data-dir <dir>]   a consistent copy, server running or not

  --host <addr>            address to listen on (default ${DEFAULT_HOST})         env ANNUAIRE_HOST
  --port <n>               port (default ${DEFAULT_PORT}; 0 picks a free one)      env ANNUAIRE_PORT
  --data-dir <dir>         where the database lives (default ./data)         env ANNUAIRE_DATA_DIR
  --database <url>         postgres://user:password@host:5432/db: accounts and contacts
                           in PostgreSQL, shared by every node given the same URL
                           (default: SQLite in --data-dir)                   env ANNUAIRE_DATABASE_URL
  --idle-timeout <s>       close connections idle this long (default 900)    env ANNUAIRE_IDLE_TIMEOUT
  --max-connections <n>    refuse connections past this (default 10000)      env ANNUAIRE_MAX_CONNECTIONS
  --max-per-address <n>    connections from one address (default 256)        env ANNUAIRE_MAX_PER_ADDRESS
  --rate-limit <n>         requests per second per connection (default 5000) env ANNUAIRE_RATE_LIMIT
  --max-contacts <n>       contacts one account may hold (default 100000)    env ANNUAIRE_MAX_CONTACTS
  --tls-cert <file>        PEM certificate: serve TLS                        env ANNUAIRE_TLS_CERT
  --tls-key <file>         PEM private key                                   env ANNUAIRE_TLS_KEY
  --tls-handshake-timeout <s>  close a TLS connection not through its handshake
                           this long after it opened (default 10)            env ANNUAIRE_TLS_HANDSHAKE_TIMEOUT
  --limits <file.json>     every limit (see README, "Limits"); flags win     env ANNUAIRE_LIMITS
  --insecure               allow a non-loopback address without TLS
  --quiet                  log only failures, not every request              env ANNUAIRE_QUIET=1
  --vacuum                 rewrite the database file whole and exit (server stopped):
                           erases the last traces of deleted accounts (README)
  -h, --help               show this help

       annuaire-server migrate --from DIR --to postgres://… [--json]
  copies the embedded annuaire in DIR (accounts with their password hashes, contacts,
  journal, sessions) into PostgreSQL, then checks that every account, contact and session
  is there. Safe to run again: a rerun copies only what is missing. Stop the server on DIR first.

       annuaire-server import-legacy DIR [--data-dir D] [--json]
  migrates the seed's files: DIR/utilisateurs.json (passwords hashed, then removed from
  the file) and each user's annuaire text file; prints what was migrated and skipped, why.
`;

/** The exit status when the database is damaged (2 is a usage error, 1 anything else). */
const EXIT_DAMAGED = 3;

function fail(message: string): never {
  process.stderr.write(`annuaire-server: ${message}\n`);
  process.exit(2);
}

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`${name} must be a non-negative integer, not "${value}"`);
  return n;
}

/** A duration given in seconds, in milliseconds; at least 1 s. */
function secondsOption(value: string | undefined, name: string, fallbackMs: number): number {
  const seconds = intOption(value, name, fallbackMs / 1000);
  if (seconds === 0) fail(`${name} must be at least 1`);
  return seconds * 1000;
}

/** A sustained rate; the burst allowed is twice as much. */
function rateOption(value: string | undefined, fallback: { perSecond: number; burst: number }) {
  if (value === undefined || value === '') return fallback;
  const perSecond = intOption(value, '--rate-limit', fallback.perSecond);
  if (perSecond === 0) fail('--rate-limit must be at least 1');
  return { perSecond, burst: perSecond * 2 };
}

/** A postgres:// URL, or none (SQLite); anything else is refused at once. */
function databaseOption(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(value)) fail(`--database must be a postgres:// URL (given: ${safeUrl(value)})`);
  return value;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (net.isIPv4(host) && host.startsWith('127.'));
}

/**
 * `backup DEST`: a consistent copy of the database, taken while the server runs (README,
 * "Backup and restore" says how to restore it).
 */
function backup(argv: string[]): void {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${HELP}`);
  }
  const dest = parsed.positionals[0];
  if (!dest || parsed.positionals.length > 1) fail(`backup takes one destination file\n\n${HELP}`);
  const dataDir = parsed.values['data-dir'] ?? process.env.ANNUAIRE_DATA_DIR ?? defaultDataDir();
  try {
    const r = backupDatabase(dataDir, dest);
    process.stdout.write(`annuaire-server: backup written to ${r.file} (${r.bytes} bytes, ${r.users} account(s), ${r.contacts} contact(s))\n`);
  } catch (err) {
    process.stderr.write(`annuaire-server: backup failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

/** --vacuum: the maintenance run, on a stopped server's data directory. */
function vacuum(dataDir: string): void {
  try {
    const { before, after } = compactDatabase(dataDir);
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    process.stdout.write(`annuaire-server: ${dataDir} rewritten (${mib(before)} -> ${mib(after)})\n`);
  } catch (err) {
    if (err instanceof DatabaseDamaged) {
      process.stderr.write(`annuaire-server: ${err.message}\n`);
      process.exit(EXIT_DAMAGED);
    }
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) fail(`${dataDir} is in use: stop the server before --vacuum`);
    throw err;
  }
}

/** `annuaire-server import-legacy DIR [--data-dir D] [--json]`: the seed's files into the database. */
async function importLegacyCommand(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
  } catch (err) {
    fail((err as Error).message);
  }
  const [dir, ...extra] = parsed.positionals;
  if (!dir || extra.length > 0) fail('usage: annuaire-server import-legacy DIR [--data-dir D] [--json]');
  const dataDir = parsed.values['data-dir'] ?? process.env.ANNUAIRE_DATA_DIR ?? defaultDataDir();
  let reports;
  try {
    reports = await importLegacy(dir, dataDir);
  } catch (err) {
    process.stderr.write(`annuaire-server: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write((parsed.values.json ? JSON.stringify(reports, null, 2) : describeLegacy(reports)) + '\n');
  process.exit(reports.some((r) => r.status === 'skipped') ? 1 : 0);
}

/** `annuaire-server migrate --from DIR --to URL [--json]`: moving up from SQLite to PostgreSQL. */
async function migrateCommand(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${HELP}`);
  }
  const from = parsed.values.from ?? process.env.ANNUAIRE_DATA_DIR ?? defaultDataDir();
  const to = parsed.values.to ?? process.env.ANNUAIRE_DATABASE_URL;
  if (!to || !/^postgres(ql)?:\/\//.test(to)) fail('migrate needs --to postgres://user:password@host:5432/database');
  const target = safeUrl(to);
  let report;
  try {
    report = await moveToPostgres(from, to);
  } catch (err) {
    process.stderr.write(`annuaire-server: migrate from ${from} to ${target} failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write((parsed.values.json ? JSON.stringify(report, null, 2) : describeMove(report, target)) + '\n');
  process.exit(Object.values(report.missing).some((n) => n > 0) ? 1 : 0);
}

/** A database URL without its password, for messages. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'the database';
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'backup') return backup(process.argv.slice(3));
  if (process.argv[2] === 'migrate') return migrateCommand(process.argv.slice(3));
  if (process.argv[2] === 'import-legacy') return importLegacyCommand(process.argv.slice(3));
  let args;
  try {
    args = parseArgs({
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        database: { type: 'string' },
        'idle-timeout': { type: 'string' },
        'max-connections': { type: 'string' },
        'max-per-address': { type: 'string' },
        'rate-limit': { type: 'string' },
        'max-contacts': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-handshake-timeout': { type: 'string' },
        insecure: { type: 'boolean' },
        limits: { type: 'string' },
        quiet: { type: 'boolean' },
        vacuum: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n\n${HELP}`);
  }
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const env = process.env;
  if (args.vacuum) return vacuum(args['data-dir'] ?? env.ANNUAIRE_DATA_DIR ?? defaultDataDir());
  const host = args.host ?? env.ANNUAIRE_HOST ?? DEFAULT_HOST;
  const port = intOption(args.port ?? env.ANNUAIRE_PORT, '--port', DEFAULT_PORT);
  if (port > 65535) fail('--port must be at most 65535');
  const certFile = args['tls-cert'] ?? env.ANNUAIRE_TLS_CERT;
  const keyFile = args['tls-key'] ?? env.ANNUAIRE_TLS_KEY;
  if (Boolean(certFile) !== Boolean(keyFile)) fail('--tls-cert and --tls-key go together');
  let tls;
  try {
    tls = certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : undefined;
  } catch (err) {
    fail(`cannot read the TLS certificate or key: ${(err as Error).message}`);
  }
  if (!tls && !isLoopback(host) && !args.insecure) {
    fail(`refusing to listen on ${host} without TLS: passwords would cross the network in clear.
Give --tls-cert and --tls-key, or --insecure if a TLS terminator sits in front.`);
  }
  const limitsFile = args.limits ?? env.ANNUAIRE_LIMITS;
  let fromFile = {};
  try {
    fromFile = limitsFile ? readLimitsFile(limitsFile) : {};
  } catch (err) {
    fail(`cannot use the limits file: ${(err as Error).message}`);
  }
  const defaults = defaultConfig(fromFile);
  const server = await startServer({
    ...fromFile,
    host,
    port,
    dataDir: args['data-dir'] ?? env.ANNUAIRE_DATA_DIR ?? defaultDataDir(),
    databaseUrl: databaseOption(args.database ?? env.ANNUAIRE_DATABASE_URL),
    idleTimeoutMs: intOption(args['idle-timeout'] ?? env.ANNUAIRE_IDLE_TIMEOUT, '--idle-timeout', defaults.idleTimeoutMs / 1000) * 1000,
    maxConnections: intOption(args['max-connections'] ?? env.ANNUAIRE_MAX_CONNECTIONS, '--max-connections', defaults.maxConnections),
    maxConnectionsPerAddress: intOption(
      args['max-per-address'] ?? env.ANNUAIRE_MAX_PER_ADDRESS,
      '--max-per-address',
      defaults.maxConnectionsPerAddress,
    ),
    tlsHandshakeTimeoutMs: secondsOption(
      args['tls-handshake-timeout'] ?? env.ANNUAIRE_TLS_HANDSHAKE_TIMEOUT,
      '--tls-handshake-timeout',
      defaults.tlsHandshakeTimeoutMs,
    ),
    requestRate: rateOption(args['rate-limit'] ?? env.ANNUAIRE_RATE_LIMIT, defaults.requestRate),
    quota: {
      ...defaults.quota,
      maxContacts: intOption(args['max-contacts'] ?? env.ANNUAIRE_MAX_CONTACTS, '--max-contacts', defaults.quota.maxContacts),
    },
    logRequests: !(args.quiet || env.ANNUAIRE_QUIET === '1'),
    tls,
    log: stdoutLog,
    // Found by the background check (a large database): the server is closing itself.
    onDamaged: (err) => {
      process.stderr.write(`annuaire-server: ${err.message}\n`);
      void server.close().finally(() => process.exit(EXIT_DAMAGED));
    },
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') fail(`port ${port} on ${host} is already in use`);
    if (err instanceof DatabaseDamaged) {
      process.stderr.write(`annuaire-server: ${err.message}\n`);
      process.exit(EXIT_DAMAGED);
    }
    throw err;
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stdoutLog({ msg: 'shutting down', signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`annuaire-server: ${(err as Error).message}\n`);
  process.exit(1);
});
