/**
 * Import and export rows: contacts/s each way and peak RSS (server and client) for a vCard
 * and a CSV file of N contacts, sent in pieces and exported page by page. The measurement is
 * packages/server/scripts/transfer-bench.ts, run as its own process for each size and format.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export interface TransferRow {
  contacts: number;
  format: string;
  file_mb: number;
  imported: number;
  import_per_s: number;
  export_per_s: number;
  import_s: number;
  export_s: number;
  server_peak_rss_mb: number;
  client_peak_rss_mb: number;
}

export function measureTransfer(sizes: number[], log: (s: string) => void): (TransferRow | string)[] {
  const script = path.resolve(import.meta.dirname, '..', 'packages', 'server', 'scripts', 'transfer-bench.ts');
  const rows: (TransferRow | string)[] = [];
  for (const contacts of sizes) {
    for (const format of ['vcard', 'csv']) {
      log(`transfer: importing and exporting ${contacts} contacts as ${format}…`);
      const run = spawnSync(process.execPath, ['--import', 'tsx', script, '--contacts', String(contacts), '--format', format], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      rows.push(run.status === 0 ? (JSON.parse(run.stdout) as TransferRow) : `${contacts} ${format}: failed (exit ${run.status})`);
    }
  }
  return rows;
}

export function transferReport(rows: (TransferRow | string)[] | undefined): string[] {
  if (!rows) return [];
  const out = [
    '### Import and export',
    '',
    'A file of N contacts on disk, imported through the shared client helper (in 512 KiB pieces, batches of 500',
    'contacts a transaction on the server), then exported page by page to disk. Peak RSS is VmHWM.',
    '',
    '| contacts | format | file MB | import contacts/s | export contacts/s | server peak RSS MB | client peak RSS MB |',
    '|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (typeof r === 'string') out.push(`| ${r} | | | | | | |`);
    else out.push(`| ${r.contacts.toLocaleString('en')} | ${r.format} | ${r.file_mb} | ${r.import_per_s} | ${r.export_per_s} | ${r.server_peak_rss_mb} | ${r.client_peak_rss_mb} |`);
  }
  out.push('');
  return out;
}
