/**
 * `pnpm corpus [--json]`: imports every file of the interop corpus through a real server
 * (in-process, real TCP and SQLite on a temporary directory) and prints the per-file table.
 */
import { connect } from '@annuaire/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../src';
import { CORPUS_DIR, corpusFiles, importFile, summarize, type FileReport } from './corpus-core';

const files = corpusFiles();
if (files.length === 0) {
  console.error(`No corpus at ${CORPUS_DIR} (set ANNUAIRE_CORPUS).`);
  process.exit(2);
}
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-corpus-'));
const server = await startServer({ port: 0, dataDir, maxFrameBytes: 64 * 1024 * 1024, accountCreation: { perAddress: 1000, windowMs: 3600_000 } });
const reports: FileReport[] = [];
try {
  const client = await connect('127.0.0.1', server.port);
  for (const [i, file] of files.entries()) {
    await client.request('create_account', { username: `corpus${i}`, password: 'motdepasse-corpus' });
    await client.request('login', { username: `corpus${i}`, password: 'motdepasse-corpus' });
    reports.push(await importFile(client, file));
  }
  await client.close();
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(process.argv.includes('--json') ? JSON.stringify(reports, null, 2) : summarize(reports));
