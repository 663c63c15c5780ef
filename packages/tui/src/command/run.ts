import { connect, DEFAULT_HOST, DEFAULT_PORT, exportAll, exportFile, importFile, ProtocolError, type AnnuaireClient, type Contact, type Language, type TransferFormat } from '@annuaire/protocol';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pickLanguage } from '../i18n';
import { formatFromPath } from '../lib/files';
import { progressBar } from '../lib/format';
import { say } from './messages';
import { defaultIo, type Io } from './io';
import { askLine, askPassword } from './prompt';
import { loadSession, removeSession, saveSession, sessionFile, type SavedSession } from './session-file';

/** The subcommands of the `annuaire` bin; anything else starts the full-screen client. */
export const COMMANDS = new Set(['login', 'logout', 'import', 'export', 'search', 'help']);

/** Exit codes, as scripts expect: 0 done, 1 failed or nothing found, 2 bad usage, 3 no session. */
const EXIT = { ok: 0, failed: 1, usage: 2, noSession: 3 } as const;

class UsageError extends Error {}
class NoSessionError extends Error {}

/** Runs `annuaire COMMAND …` and returns its exit code. */
export async function runCommand(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  let lang: Language = pickLanguage(undefined, io.env);
  const err = (text: string) => void io.stderr.write(text + '\n');
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: {
        user: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        tls: { type: 'boolean' },
        ca: { type: 'string' },
        lang: { type: 'string' },
        format: { type: 'string' },
        charset: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'vcard-version': { type: 'string' },
        output: { type: 'string', short: 'o' },
        limit: { type: 'string' },
        'no-header': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
    lang = pickLanguage(values.lang, io.env);
    if (command === 'help' || values.help) {
      io.stdout.write(say(lang, 'usage') + '\n');
      return EXIT.ok;
    }
    const file = sessionFile(io.env);
    switch (command) {
      case 'login':
        return await login(values, file, lang, io);
      case 'logout':
        return await logout(file, lang, io);
      case 'import': {
        if (positionals.length !== 1) throw new UsageError('import FILE');
        return await withSession(file, values, lang, (client) => importCommand(client, positionals[0]!, values, lang, io));
      }
      case 'export':
        return await withSession(file, values, lang, (client) => exportCommand(client, values, lang, io));
      case 'search': {
        if (positionals.length < 1) throw new UsageError('search QUERY');
        return await withSession(file, values, lang, (client) => searchCommand(client, positionals.join(' '), values, lang, io));
      }
      default:
        throw new UsageError(`${command ?? ''}?`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      err(say(lang, 'badUsage', { message: (e as Error).message }));
      err(say(lang, 'usage'));
      return EXIT.usage;
    }
    if (e instanceof NoSessionError) {
      err(say(lang, e.message === 'lost' ? 'sessionLost' : 'notLoggedIn'));
      return EXIT.noSession;
    }
    err(say(lang, 'failed', { message: e instanceof Error ? e.message : String(e) }));
    return EXIT.failed;
  }
}

type Values = Record<string, string | boolean | undefined>;

function serverOf(values: Values, saved: SavedSession | null) {
  const port = values.port !== undefined ? Number(values.port) : (saved?.port ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port ${String(values.port)}`);
  const ca = (values.ca as string | undefined) ?? saved?.ca;
  const tls = Boolean(values.tls) || ca !== undefined || (values.host === undefined && (saved?.tls ?? false));
  return { host: (values.host as string | undefined) ?? saved?.host ?? DEFAULT_HOST, port, tls, ...(ca ? { ca } : {}) };
}

async function connectTo(server: ReturnType<typeof serverOf>): Promise<AnnuaireClient> {
  const tls = server.tls ? (server.ca ? { ca: readFileSync(server.ca) } : true) : undefined;
  return connect(server.host, server.port, tls ? { tls } : {});
}

async function login(values: Values, file: string, lang: Language, io: Io): Promise<number> {
  const server = serverOf(values, loadSession(file));
  const tty = io.stdin.isTTY === true;
  const username = (values.user as string | undefined) ?? (await askLine(io, say(lang, 'username'), tty));
  const password = await askPassword(io, say(lang, 'password'), tty);
  const client = await connectTo(server);
  try {
    await client.request('set_language', { lang });
    const session = await client.request('login', { username, password });
    saveSession(file, { ...server, tls: server.tls, username: session.username, token: session.session_token });
    io.stderr.write(say(lang, 'loggedIn', { user: session.username, file }) + '\n');
    return EXIT.ok;
  } finally {
    await client.close();
  }
}

async function logout(file: string, lang: Language, io: Io): Promise<number> {
  const saved = loadSession(file);
  if (saved) {
    try {
      const client = await connectTo(serverOf({}, saved));
      try {
        await client.request('resume_session', { session_token: saved.token });
        await client.request('logout');
      } finally {
        await client.close();
      }
    } catch {
      // The server may be gone or the session expired: forgetting the token is what matters.
    }
  }
  removeSession(file);
  io.stderr.write(say(lang, 'loggedOut') + '\n');
  return EXIT.ok;
}

/** Connects and resumes the saved session (saving the token it is renewed to), then runs `fn`. */
async function withSession(file: string, values: Values, lang: Language, fn: (client: AnnuaireClient) => Promise<number>): Promise<number> {
  const saved = loadSession(file);
  if (!saved) throw new NoSessionError('none');
  const client = await connectTo(serverOf(values, saved));
  try {
    await client.request('set_language', { lang });
    try {
      const session = await client.request('resume_session', { session_token: saved.token });
      if (session.session_token !== saved.token) saveSession(file, { ...saved, token: session.session_token });
    } catch (e) {
      if (e instanceof ProtocolError) throw new NoSessionError('lost');
      throw e;
    }
    return await fn(client);
  } finally {
    await client.close();
  }
}

function formatOf(value: unknown, file?: string): TransferFormat {
  if (value === 'vcf' || value === 'vcard') return 'vcard';
  if (value === 'csv') return 'csv';
  if (value !== undefined) throw new UsageError(`--format ${String(value)} (vcf|csv)`);
  const fromName = file ? formatFromPath(file) : null;
  if (!fromName) throw new UsageError(`--format (vcf|csv)`);
  return fromName;
}

async function importCommand(client: AnnuaireClient, file: string, values: Values, lang: Language, io: Io): Promise<number> {
  const format = formatOf(values.format, file);
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    io.stderr.write(say(lang, 'cannotRead', { file, reason: (e as NodeJS.ErrnoException).code ?? String(e) }) + '\n');
    return EXIT.failed;
  }
  const bar = io.stderr.isTTY === true;
  const result = await importFile(client, format, createReadStream(file, { highWaterMark: 256 * 1024 }), size, {
    dryRun: Boolean(values['dry-run']),
    ...(values.charset ? { charset: values.charset as string } : {}),
    onProgress: (p) => {
      if (bar) io.stderr.write(`\r${progressBar(p.done, p.total)} ${p.phase === 'importing' ? `${p.imported} / ${p.rejected}` : ''}   `);
    },
  });
  if (bar) io.stderr.write('\r\x1b[K');
  for (const r of result.rejected) io.stderr.write(say(lang, 'rejectedLine', { position: r.position, label: r.label, message: r.message }) + '\n');
  for (const w of result.warnings) {
    io.stderr.write(say(lang, 'warningLine', { position: w.position, label: w.label, field: w.field, detail: w.detail ?? '', message: w.message }) + '\n');
  }
  const counts = { imported: result.imported, rejected: result.rejected_total, warnings: result.warnings_total };
  io.stdout.write(say(lang, result.dry_run ? 'wouldImport' : 'imported', counts) + '\n');
  return result.imported > 0 || result.rejected_total === 0 ? EXIT.ok : EXIT.failed;
}

async function exportCommand(client: AnnuaireClient, values: Values, lang: Language, io: Io): Promise<number> {
  const format = formatOf(values.format);
  const version = values['vcard-version'] ?? '3.0';
  if (version !== '3.0' && version !== '4.0') throw new UsageError(`--vcard-version ${String(version)} (3.0|4.0)`);
  const out = values.output as string | undefined;
  if (!out || out === '-') {
    await exportFile(client, { format, version }, (text) => new Promise<void>((resolve) => (io.stdout.write(text) ? resolve() : io.stdout.once('drain', resolve))));
    return EXIT.ok;
  }
  let handle;
  try {
    handle = await open(out, 'w', 0o600);
  } catch (e) {
    io.stderr.write(say(lang, 'cannotWrite', { file: out, reason: (e as NodeJS.ErrnoException).code ?? String(e) }) + '\n');
    return EXIT.failed;
  }
  try {
    const count = await exportFile(client, { format, version }, async (text) => void (await handle.write(text)));
    io.stderr.write(say(lang, 'exported', { count, file: out }) + '\n');
  } finally {
    await handle.close();
  }
  return EXIT.ok;
}

/** « Prénom Nom », as a mail client shows a name. */
const prenomNom = (c: Contact) => [c.prenom, c.nom].filter(Boolean).join(' ');

async function searchCommand(client: AnnuaireClient, query: string, values: Values, lang: Language, io: Io): Promise<number> {
  const format = (values.format as string | undefined) ?? 'text';
  if (!['text', 'json', 'vcf', 'mutt'].includes(format)) throw new UsageError(`--format ${format} (text|json|vcf|mutt)`);
  const limit = values.limit !== undefined ? Number(values.limit) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(`--limit ${String(values.limit)} (1-500)`);
  const { contacts } = await client.request('search_contacts', { query, limit });
  const write = (text: string) => void io.stdout.write(text);
  switch (format) {
    case 'json':
      write(JSON.stringify(contacts, null, 2) + '\n');
      break;
    case 'vcf':
      if (contacts.length > 0) write((await exportAll(client, { format: 'vcard', contact_ids: contacts.map((c) => c.id) })).data);
      break;
    case 'mutt': {
      // mutt/neomutt query_command: a first line for the status bar, then "address<TAB>name<TAB>other".
      const lines = contacts.flatMap((c) => c.emails.map((e) => [e.value, prenomNom(c), c.entreprise ?? ''].map(oneLine).join('\t')));
      if (!values['no-header']) write(say(lang, lines.length ? 'found' : 'noMatch', { count: lines.length, query }) + '\n');
      for (const line of lines) write(line + '\n');
      return lines.length > 0 ? EXIT.ok : EXIT.failed;
    }
    default:
      for (const c of contacts) {
        write([prenomNom(c), c.email ?? '', c.telephone ?? '', c.entreprise ?? ''].map(oneLine).join('\t').replace(/\t+$/, '') + '\n');
      }
  }
  if (contacts.length === 0) io.stderr.write(say(lang, 'noMatch', { query }) + '\n');
  return contacts.length > 0 ? EXIT.ok : EXIT.failed;
}

/** A field on one line of a tab-separated output: tabs and line ends become spaces. */
const oneLine = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
