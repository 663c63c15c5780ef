import { CertificateError, type PeerVerifier } from '@annuaire/protocol';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where pinned server certificates live, like SSH's known_hosts. */
export function defaultKnownHostsFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'annuaire', 'known_hosts');
}

type Pins = Map<string, string>;

function readPins(file: string): Pins {
  const pins: Pins = new Map();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return pins;
  }
  for (const line of text.split('\n')) {
    const [address, fingerprint] = line.trim().split(/\s+/);
    if (address && fingerprint && !address.startsWith('#')) pins.set(address, fingerprint);
  }
  return pins;
}

function writePins(file: string, pins: Pins): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const lines = [...pins].map(([address, fingerprint]) => `${address} ${fingerprint}`);
  writeFileSync(file, `# annuaire: server certificates trusted on first use (address SHA-256)\n${lines.join('\n')}\n`, {
    mode: 0o600,
  });
}

export type PinOutcome = { kind: 'ca-verified' } | { kind: 'pinned' } | { kind: 'first-use'; fingerprint: string };

/**
 * Trust on first use. A certificate a CA vouches for is accepted as is. Otherwise the first
 * fingerprint seen for host:port is recorded; later, the same one is trusted and a different
 * one is refused with CertificateError: someone may be impersonating the server.
 */
export function trustOnFirstUse(address: string, file: string, report: (outcome: PinOutcome) => void): PeerVerifier {
  return ({ fingerprint256, authorized }) => {
    if (authorized) return report({ kind: 'ca-verified' });
    const pins = readPins(file);
    const known = pins.get(address);
    if (known === undefined) {
      pins.set(address, fingerprint256);
      writePins(file, pins);
      return report({ kind: 'first-use', fingerprint: fingerprint256 });
    }
    if (known !== fingerprint256) {
      throw new CertificateError(
        `the certificate of ${address} changed: expected ${known}, got ${fingerprint256}`,
        fingerprint256,
      );
    }
    report({ kind: 'pinned' });
  };
}
