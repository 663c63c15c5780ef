import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_HOST, DEFAULT_MAX_FRAME_BYTES, DEFAULT_PORT, MAX_REPLY_BYTES } from '@annuaire/protocol';
import { DEFAULT_THROTTLE, type ThrottlePolicy } from './auth/throttle';
import type { SessionPolicy } from './services/accounts';
import { INLINE_CHECK_MAX_BYTES } from './store/integrity';
import { DEFAULT_QUOTA, type QuotaPolicy } from './services/quota';
import { DEFAULT_JOURNAL, type JournalPolicy } from './store/journal';

export { DEFAULT_HOST, DEFAULT_PORT };

export interface ServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  /** A postgres:// URL: the accounts and contacts live there, shared by every node given it. None: SQLite in dataDir. */
  databaseUrl?: string;
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
  /** Replies left unread by all clients together; past it, those holding the most are dropped. */
  maxOutputBytesTotal: number;
  /** Unfinished request lines of all clients together; past it, their sockets are not read. */
  maxInputBytesTotal: number;
  /** Requests read ahead of the one running, per connection; past it, its socket is not read. */
  maxQueuedRequests: number;
  /** The largest reply sent (what the typed client accepts); a larger one is answered reply_too_large. */
  maxReplyBytes: number;
  /** One log line per request (off for benchmarks: failed logins are always logged). */
  logRequests: boolean;
  /** TLS: a connection whose handshake is not done this long after it opened is closed. */
  tlsHandshakeTimeoutMs: number;
  /** Room kept in the data directory for deletes when the disk fills up (store/disk-reserve.ts). */
  diskReserveBytes: number;
  /** A database file up to this size is checked whole before the server listens (store/integrity.ts). */
  integrityCheckInlineMaxBytes: number;
  /** TLS: PEM certificate and key. */
  tls?: { cert: Buffer; key: Buffer };
  sessions: SessionPolicy;
  throttle: ThrottlePolicy;
  /** What one account may store. */
  quota: QuotaPolicy;
  phoneRegion: string;
  /**
   * Events a connection leaves unread beyond this many bytes are not sent: it gets one
   * resync_required once it has read what it has (the server holds no queue of events).
   */
  maxEventBacklogBytes: number;
  /** How often logged-in connections are checked for a session that expired or ended elsewhere. */
  sessionSweepMs: number;
  /** How long the change journal keeps tombstones, and how it is trimmed. */
  journal: JournalPolicy;
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
    tlsHandshakeTimeoutMs: 10_000,
    integrityCheckInlineMaxBytes: INLINE_CHECK_MAX_BYTES,
    diskReserveBytes: 16 * 1024 * 1024,
    writeStallTimeoutMs: 30_000,
    maxOutputBytes: 8 * 1024 * 1024,
    maxOutputBytesTotal: 256 * 1024 * 1024,
    maxInputBytesTotal: 64 * 1024 * 1024,
    maxQueuedRequests: 256,
    maxReplyBytes: MAX_REPLY_BYTES,
    logRequests: true,
    sessions: { idleMs: 7 * 24 * 3600_000, absoluteMs: 30 * 24 * 3600_000 },
    throttle: DEFAULT_THROTTLE,
    quota: DEFAULT_QUOTA,
    phoneRegion: 'FR',
    maxEventBacklogBytes: 1024 * 1024,
    sessionSweepMs: 60_000,
    journal: DEFAULT_JOURNAL,
    ...overrides,
  };
}
