/**
 * Import and export throughput and memory: `tsx packages/server/scripts/transfer-bench.ts
 * --contacts 100000 [--format vcard|csv]`. Writes a file of N realistic contacts to disk, starts
 * the built server (packages/server/dist/cli.js) as its own process, imports the file through
 * the shared client helper (importFile, in pieces), then exports it page by page to disk (exportFile).
 * Prints JSON: contacts/s each way, and the peak RSS (VmHWM) of the server and of this client.
 * Run by `pnpm bench` (bench/transfer.ts); the client's peak includes generating the file.
 */
import { connect, exportFile, importFile } from '@annuaire/protocol';
import { listeningPort } from '@annuaire/test-utils';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { contacts: { type: 'string', default: '100000' }, format: { type: 'string', default: 'vcard' } } });
const n = Number(values.contacts);
const format = values.format === 'csv' ? 'csv' : 'vcard';
const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-transfer-bench-'));

const peakMb = (pid: number | 'self') => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

const FIRST = ['Hélène', 'Jean', 'Zoé', 'Paul', 'Amélie', 'Louis', 'Chloé', 'Hugo', 'Léa', 'Noël'];
const LAST = ['Dupré', 'Martin', 'Lefèvre', 'Bernard', 'Moreau', 'Fournier', 'Girard', 'Bonnet', 'Mercier', 'Faure'];

/** Streams the file to disk, so that the client never holds it. */
async function writeFile(file: string): Promise<void> {
  const out = createWriteStream(file);
  if (format === 'csv') out.write('First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Organization Name,Notes\r\n');
  for (let i = 0; i < n; i++) {
    const [p, nom] = [FIRST[i % 10]!, `${LAST[(i / 10) % 10 | 0]!}${i}`];
    const text =
      format === 'csv'
        ? `${p},${nom},${p.toLowerCase()}.${i}@example.fr,+33 6 ${String(i).padStart(8, '0').replace(/(\d\d)(?=\d)/g, '$1 ')},Atelier ${i % 97},"Note ${i}, rencontré à Lyon"\r\n`
        : `BEGIN:VCARD\r\nVERSION:3.0\r\nN:${nom};${p};;;\r\nFN:${p} ${nom}\r\nEMAIL;TYPE=INTERNET:${p.toLowerCase()}.${i}@example.fr\r\nTEL;TYPE=CELL:+33 6 ${String(i).padStart(8, '0').replace(/(\d\d)(?=\d)/g, '$1 ')}\r\nORG:Atelier ${i % 97}\r\nNOTE:Note ${i}\\, rencontré à Lyon\r\nEND:VCARD\r\n`;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main() {
  const file = path.join(dir, format === 'csv' ? 'in.csv' : 'in.vcf');
  await writeFile(file);
  const size = statSync(file).size;
  const limits = path.join(dir, 'limits.json');
  writeFileSync(limits, JSON.stringify({ quota: { maxContacts: n * 2, maxBytes: 64 * 1024 ** 3 } }));
  const server = spawn(process.execPath, [path.join(root, 'packages/server/dist/cli.js'), '--port', '0', '--data-dir', path.join(dir, 'data'), '--quiet', '--limits', limits], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await listeningPort(server);
  try {
    const client = await connect('127.0.0.1', port, { validateResults: false });
    await client.request('create_account', { username: 'bench', password: 'motdepasse-bench' });
    await client.request('login', { username: 'bench', password: 'motdepasse-bench' });
    let started = performance.now();
    const result = await importFile(client, format, createReadStream(file, { highWaterMark: 256 * 1024 }), size);
    const importS = (performance.now() - started) / 1000;
    const serverAfterImport = peakMb(server.pid!);
    started = performance.now();
    const out = createWriteStream(path.join(dir, 'out'));
    const exported = await exportFile(client, { format }, async (text) => {
      if (!out.write(text)) await once(out, 'drain');
    });
    out.end();
    await once(out, 'finish');
    const exportS = (performance.now() - started) / 1000;
    await client.close();
    console.log(
      JSON.stringify({
        contacts: n,
        format,
        file_mb: Math.round(size / 1024 ** 2),
        imported: result.imported,
        rejected: result.rejected_total,
        import_s: +importS.toFixed(1),
        import_per_s: Math.round(result.imported / importS),
        export_s: +exportS.toFixed(1),
        exported,
        export_per_s: Math.round(exported / exportS),
        server_peak_rss_mb_import: Math.round(serverAfterImport),
        server_peak_rss_mb: Math.round(peakMb(server.pid!)),
        client_peak_rss_mb: Math.round(peakMb('self')),
      }),
    );
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
