import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ServerConfig } from './config';

const ms = z.number().int().nonnegative();
const count = z.number().int().positive();

/**
 * Every limit, as a JSON file can set it (`annuaire-server --limits limits.json`).
 * Flags given on the command line win over the file.
 */
export const LimitsFile = z.strictObject({
  maxFrameBytes: count.optional(),
  idleTimeoutMs: ms.optional(),
  maxConnections: count.optional(),
  maxConnectionsPerAddress: count.optional(),
  maxOutputBytes: count.optional(),
  maxOutputBytesTotal: count.optional(),
  maxInputBytesTotal: count.optional(),
  maxQueuedRequests: count.optional(),
  maxReplyBytes: count.optional(),
  frameTimeoutMs: ms.optional(),
  tlsHandshakeTimeoutMs: count.optional(),
  diskReserveBytes: z.number().int().nonnegative().optional(),
  writeStallTimeoutMs: ms.optional(),
  requestRate: z.strictObject({ perSecond: count, burst: count }).optional(),
  accountCreation: z.strictObject({ perAddress: count, windowMs: ms }).optional(),
  sessions: z.strictObject({ idleMs: ms, absoluteMs: ms }).optional(),
  throttle: z
    .strictObject({ freeFailuresPerUser: count, freeFailuresPerAddress: count, baseDelayMs: ms, maxDelayMs: ms })
    .optional(),
  quota: z.strictObject({ maxContacts: count, maxBytes: count }).optional(),
  maxEventBacklogBytes: count.optional(),
  sessionSweepMs: count.optional(),
  journal: z
    .strictObject({ tombstoneMaxAgeMs: count, maxTombstonesPerAnnuaire: count, trimEveryMs: count, trimStepRows: count, pollOthersMs: count })
    .optional(),
  phoneRegion: z.string().regex(/^[A-Z]{2}$/).optional(),
});

export function readLimitsFile(file: string): Partial<ServerConfig> {
  const parsed = LimitsFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  return parsed.data;
}
