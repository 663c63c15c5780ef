import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, defaultDataDir } from '@annuaire/server';
import { connect } from '@annuaire/protocol';
import { answers, chooseServer, closeWhenAlone, RUNNING_FILE } from '../src/client/embedded';
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
    // Without a data directory of its own, the default address is the one wanted: say it is taken.
    const dir = tmp();
    const choice = await chooseServer({ host: '127.0.0.1', port, mayEmbed: true }, async () => ({ startServer, defaultDataDir: () => dir }));
    expect(choice.embedded).toBeUndefined();
    expect(choice.error).toMatch(/EADDRINUSE/);
  });

  it('never ignores --data-dir: with a server of other data on the default port, it starts its own on a free port', async () => {
    const other = await startServer({ host: '127.0.0.1', port: 0, dataDir: tmp() });
    cleanups.unshift(() => other.close());
    const mine = path.join(tmp(), 'mine');
    const choice = await chooseServer({ host: '127.0.0.1', port: other.port, mayEmbed: true }, real, mine);
    cleanups.unshift(() => choice.embedded?.close());
    expect(choice.dataDir).toBe(mine);
    expect(choice.port).toBeGreaterThan(0);
    expect(choice.port).not.toBe(other.port);
    expect(existsSync(mine)).toBe(true);
    expect(await answers('127.0.0.1', choice.port!)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(mine, RUNNING_FILE), 'utf8'))).toEqual({ pid: process.pid, port: choice.port });
  });

  it('a second annuaire on the same --data-dir joins the server the first one embedded there, and the file goes when it stops', async () => {
    const port = await freePort();
    const dir = tmp();
    const first = await chooseServer({ host: '127.0.0.1', port, mayEmbed: true }, real, dir);
    cleanups.unshift(() => first.embedded?.close());
    let loaded = false;
    const second = await chooseServer({ host: '127.0.0.1', port, mayEmbed: true }, async () => ((loaded = true), real()), dir);
    expect(loaded).toBe(false);
    expect(second).toEqual({ dataDir: dir, port, sharedWith: process.pid });
    await first.embedded!.close();
    expect(existsSync(path.join(dir, RUNNING_FILE))).toBe(false);
  });

  it('after the UI quits, the embedded server keeps serving a connected client and stops once it leaves', async () => {
    const port = await freePort();
    const choice = await chooseServer({ host: '127.0.0.1', port, mayEmbed: true }, real, tmp());
    const other = await connect('127.0.0.1', port);
    await other.request('ping');
    const waits: number[] = [];
    let closed = false;
    const done = closeWhenAlone(choice.embedded!, (n) => waits.push(n), new Promise(() => {}), 20).then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 400));
    expect(closed).toBe(false);
    expect(waits).toEqual([1]);
    expect((await other.request('ping')).pong).toBe(true);
    await other.close();
    await done;
    expect(await answers('127.0.0.1', port)).toBe(false);
  });

  it('Ctrl+C while it waits stops it at once', async () => {
    const port = await freePort();
    const choice = await chooseServer({ host: '127.0.0.1', port, mayEmbed: true }, real, tmp());
    const other = await connect('127.0.0.1', port);
    cleanups.unshift(() => other.close());
    let stop!: () => void;
    const done = closeWhenAlone(choice.embedded!, () => stop(), new Promise<void>((r) => (stop = r)), 20);
    await done;
    expect(await answers('127.0.0.1', port)).toBe(false);
  });
});
