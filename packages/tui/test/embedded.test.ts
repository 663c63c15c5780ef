import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, defaultDataDir } from '@annuaire/server';
import { answers, chooseServer } from '../src/embedded';
import { freePort } from './helpers';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const tmp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'annuaire-embed-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const real = async () => ({ startServer, defaultDataDir });

describe('chooseServer (what `pnpm start` does)', () => {
  it('starts a server in-process when nothing answers and no address was given', async () => {
    const port = await freePort();
    const dir = tmp();
    const choice = await chooseServer({ host: '127.0.0.1', port, mayEmbed: true }, real, dir);
    cleanups.unshift(() => choice.embedded?.close());
    expect(choice.dataDir).toBe(dir);
    expect(await answers('127.0.0.1', port)).toBe(true);
  });

  it('uses the server already answering instead of starting another', async () => {
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir: tmp() });
    cleanups.unshift(() => server.close());
    let loaded = false;
    const choice = await chooseServer({ host: '127.0.0.1', port: server.port, mayEmbed: true }, async () => ((loaded = true), real()));
    expect(choice).toEqual({});
    expect(loaded).toBe(false);
  });

  it('never starts one when --host or --port was given', async () => {
    const port = await freePort();
    let loaded = false;
    const choice = await chooseServer({ host: '127.0.0.1', port, mayEmbed: false }, async () => ((loaded = true), real()));
    expect(choice).toEqual({});
    expect(loaded).toBe(false);
    expect(await answers('127.0.0.1', port)).toBe(false);
  });

  it('reports, without throwing, when the port is held by something that is not annuaire', async () => {
    const squatter = net.createServer((s) => s.end());
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => squatter.close(r)));
    const { port } = squatter.address() as net.AddressInfo;
    const choice = await chooseServer({ host: '127.0.0.1', port, mayEmbed: true }, real, tmp());
    expect(choice.embedded).toBeUndefined();
    expect(choice.error).toMatch(/EADDRINUSE/);
  });
});
