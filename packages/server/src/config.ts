import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_FRAME_BYTES } from '@annuaire/protocol';
import { DEFAULT_THROTTLE, type ThrottlePolicy } from './auth/throttle';
import type { SessionPolicy } from './services/accounts';
import { DEFAULT_QUOTA, type QuotaPolicy } from './services/quota';

export const DEFAULT_PORT = 7878;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  maxFrameBytes: number;
  /** A connection that sends nothing for this long is closed. */
  idleTimeoutMs: number;
  maxConnections: number;
  /** Connections from one source address. */
  maxConnectionsPerAddress: number;
  /** Per connection: requests per second sustained, and the burst allowed above it. */
  requestRate: { perSecond: number; burst: number };
  /** Accounts one source address may create per window. */
  accountCreation: { perAddress: number; windowMs: number };
  /** A request line begun must end within this long (defeats one-byte-a-minute clients). */
  frameTimeoutMs: number;
  /** A client that leaves its replies unread this long is dropped. */
  writeStallTimeoutMs: number;
  /** Replies a client leaves unread beyond this many bytes get it dropped. */
  maxOutputBytes: number;
  /** One log line per request (off for benchmarks: failed logins are always logged). */
  logRequests: boolean;
  /** TLS: PEM certificate and key. */
  tls?: { cert: Buffer; key: Buffer };
  sessions: SessionPolicy;
  throttle: ThrottlePolicy;
  /** What one account may store. */
  quota: QuotaPolicy;
  phoneRegion: string;
}

/** data/ at the repository root, wherever the process was started from. */
export function defaultDataDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // src/ and dist/ both sit two levels below packages/server.
  return path.resolve(here, '..', '..', '..', 'data');
}

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    host: DEFAULT_HOST,
    port: DEFAULT_PORT,
    dataDir: defaultDataDir(),
    maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
    idleTimeoutMs: 15 * 60_000,
    maxConnections: 10_000,
    maxConnectionsPerAddress: 256,
    requestRate: { perSecond: 5000, burst: 10_000 },
    accountCreation: { perAddress: 20, windowMs: 3600_000 },
    frameTimeoutMs: 30_000,
    writeStallTimeoutMs: 30_000,
    maxOutputBytes: 8 * 1024 * 1024,
    logRequests: true,
    sessions: { idleMs: 7 * 24 * 3600_000, absoluteMs: 30 * 24 * 3600_000 },
    throttle: DEFAULT_THROTTLE,
    quota: DEFAULT_QUOTA,
    phoneRegion: 'FR',
    ...overrides,
  };
}
