import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'python_client.py');
const python = spawnSync('python3', ['--version']).status === 0;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

// The protocol is meant for any language: a plain-socket Python client must manage every action.
describe.skipIf(!python)('a client in another language', () => {
  it('examples/python_client.py runs every action against a real server', async () => {
    const child = spawn('python3', [script, '127.0.0.1', String(t.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).toContain('OK: every action answered as documented');
    expect(code).toBe(0);
  });
});
