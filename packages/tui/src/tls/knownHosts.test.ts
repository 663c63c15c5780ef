import { CertificateError, connect } from '@annuaire/protocol';
import { startServer, type RunningServer } from '@annuaire/server';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultKnownHostsFile, trustOnFirstUse, type PinOutcome } from './knownHosts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../server/test/fixtures');
const tls = {
  cert: readFileSync(path.join(fixtures, 'test-cert.pem')),
  key: readFileSync(path.join(fixtures, 'test-key.pem')),
};

let dir: string;
let server: RunningServer;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-tofu-'));
  server = await startServer({ port: 0, dataDir: path.join(dir, 'data'), tls });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('trust on first use', () => {
  it('pins the first certificate, trusts it again, and refuses a changed one', async () => {
    const file = path.join(dir, 'config', 'annuaire', 'known_hosts');
    const address = `localhost:${server.port}`;
    const outcomes: PinOutcome[] = [];
    const verifyPeer = trustOnFirstUse(address, file, (o) => outcomes.push(o));

    const first = await connect('localhost', server.port, { tls: true, verifyPeer });
    await first.close();
    expect(outcomes[0]).toMatchObject({ kind: 'first-use', fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
    expect(readFileSync(file, 'utf8')).toContain(`${address} ${(outcomes[0] as { fingerprint: string }).fingerprint}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const again = await connect('localhost', server.port, { tls: true, verifyPeer });
    await again.close();
    expect(outcomes[1]).toEqual({ kind: 'pinned' });

    // Another certificate behind the same address: as if someone stood in between.
    const forged = trustOnFirstUse(address, file, () => {});
    const pins = readFileSync(file, 'utf8').replace(/ [0-9A-F:]{95}/, ` ${'AB:'.repeat(31)}AB`);
    writeFileSync(file, pins);
    await expect(connect('localhost', server.port, { tls: true, verifyPeer: forged })).rejects.toBeInstanceOf(CertificateError);
  });

  it('accepts a CA-verified certificate without pinning', async () => {
    const outcomes: PinOutcome[] = [];
    const file = path.join(dir, 'ca', 'known_hosts');
    const c = await connect('localhost', server.port, {
      tls: { ca: tls.cert },
      verifyPeer: trustOnFirstUse(`localhost:${server.port}`, file, (o) => outcomes.push(o)),
    });
    await c.close();
    expect(outcomes).toEqual([{ kind: 'ca-verified' }]);
  });

  it('keeps its file in the XDG config directory', () => {
    expect(defaultKnownHostsFile({ XDG_CONFIG_HOME: '/x' })).toBe('/x/annuaire/known_hosts');
    expect(defaultKnownHostsFile({})).toBe(path.join(os.homedir(), '.config', 'annuaire', 'known_hosts'));
  });
});
