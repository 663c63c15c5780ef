/**
 * The noisy neighbour: what one account importing, exporting and flooding costs another
 * account's search_contacts and get_contact. `pnpm bench` runs it (its row "noisy
 * neighbour"); alone: `tsx packages/server/scripts/noisy-neighbour.ts [--seconds 10]`.
 *
 * The built server runs in its own process. The measured account (5,000 contacts) is read
 * by one closed-loop client in this process, first alone, then while a second process
 * (this script with --noise) makes the neighbour's noise: import after import of 2,000-row
 * CSV files, export after export of its growing annuaire, and 20 connections pipelining
 * 16 searches each without pause. Prints JSON: p50/p99 idle and noisy, and their ratio.
 */
import { connect, type AnnuaireClient } from '@annuaire/protocol';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnServer } from '../test/spawn';

const NOMS = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'Dupré', 'Nguyen', 'Müller', 'Смирнова', 'Παπαδόπουλος'];
const PRENOMS = ['Jean', 'Marie', 'Hélène', 'Pierre', 'Léa', 'Chloé', 'Lucas', 'Zoé', 'Noémie', 'Théo', 'Inès', 'Maël'];
const QUERIES = ['mar', 'dup', 'helene', '06 1', 'jean ber', 'lefebre', 'gmail'];

function person(i: number, tag: string) {
  const nom = `${NOMS[(i * 7) % NOMS.length]}${i % 3 === 0 ? '' : ` ${tag}${i}`}`;
  const prenom = PRENOMS[(i * 11) % PRENOMS.length]!;
  return { nom, prenom, email: `p${i}.${tag}@${i % 2 ? 'gmail.com' : 'example.org'}`, telephone: `06 ${String(10 + (i % 90))} ${String(i % 100).padStart(2, '0')} 00 ${String((i * 7) % 100).padStart(2, '0')}` };
}

async function account(port: number, username: string): Promise<{ client: AnnuaireClient; token: string }> {
  const client = await connect('127.0.0.1', port);
  await client.request('create_account', { username, password: 'motdepasse-bench' });
  const { session_token } = await client.request('login', { username, password: 'motdepasse-bench' });
  return { client, token: session_token };
}

const csv = (rows: ReturnType<typeof person>[]) =>
  'Nom,Prénom,Email,Téléphone\n' + rows.map((r) => [r.nom, r.prenom, r.email, r.telephone].join(',')).join('\n') + '\n';

/** The neighbour's noise, for `seconds`: imports, exports and a pipelined search flood. */
async function noise(port: number, seconds: number): Promise<Record<string, number>> {
  const { client, token } = await account(port, 'voisin');
  const until = Date.now() + seconds * 1000;
  const done = { imports: 0, exports: 0, floodRequests: 0 };
  const importer = (async () => {
    for (let round = 0; Date.now() < until; round++) {
      const rows = Array.from({ length: 2000 }, (_, i) => person(i, `v${round}x`));
      await client.request('import_contacts', { format: 'csv', data: csv(rows) });
      done.imports++;
    }
  })();
  const exporter = (async () => {
    const c = await connect('127.0.0.1', port);
    await c.request('resume_session', { session_token: token });
    while (Date.now() < until) {
      await c.request('export_contacts', { format: 'csv' });
      done.exports++;
    }
    await c.close();
  })();
  const flooders = Array.from({ length: 20 }, async () => {
    const c = await connect('127.0.0.1', port);
    await c.request('resume_session', { session_token: token });
    while (Date.now() < until) {
      await Promise.all(Array.from({ length: 16 }, (_, k) => c.request('search_contacts', { query: QUERIES[k % QUERIES.length]!, limit: 50 })));
      done.floodRequests += 16;
    }
    await c.close();
  });
  await Promise.all([importer, exporter, ...flooders]);
  await client.close();
  return done;
}

interface Percentiles {
  n: number;
  p50: number;
  p99: number;
}

const percentiles = (xs: number[]): Percentiles => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => Math.round((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0) * 100) / 100;
  return { n: s.length, p50: at(0.5), p99: at(0.99) };
};

/** One closed-loop client alternating search_contacts and get_contact for `seconds`. */
async function measure(client: AnnuaireClient, ids: number[], seconds: number) {
  const search: number[] = [];
  const get: number[] = [];
  const until = Date.now() + seconds * 1000;
  for (let i = 0; Date.now() < until; i++) {
    let t = performance.now();
    await client.request('search_contacts', { query: QUERIES[i % QUERIES.length]!, limit: 20 });
    search.push(performance.now() - t);
    t = performance.now();
    await client.request('get_contact', { contact_id: ids[(i * 37) % ids.length]! });
    get.push(performance.now() - t);
  }
  return { search: percentiles(search), get: percentiles(get) };
}

export async function noisyNeighbour(seconds: number, log: (s: string) => void = () => {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-noisy-'));
  const srv = await spawnServer(dataDir, ['--quiet', '--max-contacts', '100000000', '--rate-limit', '1000000000']);
  try {
    const { client } = await account(srv.port, 'mesure');
    const rows = Array.from({ length: 5000 }, (_, i) => person(i, 'm'));
    for (let i = 0; i < rows.length; i += 2000) await client.request('import_contacts', { format: 'csv', data: csv(rows.slice(i, i + 2000)) });
    const ids: number[] = [];
    for (let offset = 0; offset < 5000; offset += 500) {
      ids.push(...(await client.request('list_contacts', { limit: 500, offset })).contacts.map((c) => c.id));
    }
    log('noisy neighbour: idle');
    const idle = await measure(client, ids, seconds);
    log('noisy neighbour: with the neighbour importing, exporting and flooding');
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--noise', '--port', String(srv.port), '--seconds', String(seconds + 3)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise((r) => setTimeout(r, 1500));
    const noisy = await measure(client, ids, seconds);
    await exited;
    await client.close();
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return {
      idle,
      noisy,
      ratio: { search_p99: ratio(noisy.search.p99, idle.search.p99), get_p99: ratio(noisy.get.p99, idle.get.p99) },
      noise: JSON.parse(out || '{}') as Record<string, number>,
    };
  } finally {
    await srv.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { noise: { type: 'boolean' }, port: { type: 'string' }, seconds: { type: 'string', default: '10' } } });
  const run = values.noise
    ? noise(Number(values.port), Number(values.seconds))
    : noisyNeighbour(Number(values.seconds), (s) => process.stderr.write(s + '\n'));
  run.then(
    (r) => {
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(String((err as Error)?.stack ?? err) + '\n');
      process.exit(1);
    },
  );
}
