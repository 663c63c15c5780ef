/**
 * The noisy-neighbour row: another account's search_contacts and get_contact p99 while one
 * account imports, exports and floods, as a ratio to idle. The measurement lives beside the
 * server's adversaries (packages/server/scripts/noisy-neighbour.ts) and runs as its own
 * process, with the neighbour's noise in a third one.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

interface Percentiles {
  n: number;
  p50: number;
  p99: number;
}
export interface NoisyNeighbour {
  idle: { search: Percentiles; get: Percentiles };
  noisy: { search: Percentiles; get: Percentiles };
  ratio: { search_p99: number; get_p99: number };
  noise: Record<string, number>;
}

export function measureNoisyNeighbour(seconds: number, log: (s: string) => void): NoisyNeighbour | string {
  const script = path.resolve(import.meta.dirname, '..', 'packages', 'server', 'scripts', 'noisy-neighbour.ts');
  log(`noisy neighbour: ${seconds} s idle, then ${seconds} s beside an account importing, exporting and flooding…`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, '--seconds', String(seconds)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) return `failed (exit ${run.status})`;
  return JSON.parse(run.stdout) as NoisyNeighbour;
}

export function noisyReport(r: NoisyNeighbour | string | undefined): string[] {
  if (r === undefined) return [];
  const out = ['### Noisy neighbour', ''];
  if (typeof r === 'string') return [...out, `Not measured: ${r}.`, ''];
  out.push(
    'One account (5,000 contacts, one closed-loop client) alone, then while another account, from another process,',
    `imports 2,000-row CSV files (${r.noise.imports ?? '?'} done), exports its annuaire (${r.noise.exports ?? '?'} done) and floods`,
    `20 connections × 16 pipelined searches (${r.noise.floodRequests ?? '?'} answered).`,
    '',
    '| request | idle p50 ms | idle p99 ms | noisy p50 ms | noisy p99 ms | p99 ratio |',
    '|---|---:|---:|---:|---:|---:|',
    `| search_contacts | ${r.idle.search.p50} | ${r.idle.search.p99} | ${r.noisy.search.p50} | ${r.noisy.search.p99} | ×${r.ratio.search_p99} |`,
    `| get_contact | ${r.idle.get.p50} | ${r.idle.get.p99} | ${r.noisy.get.p50} | ${r.noisy.get.p99} | ×${r.ratio.get_p99} |`,
    '',
  );
  return out;
}
