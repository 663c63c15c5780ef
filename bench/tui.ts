/**
 * The bench's TUI hook: keystroke-to-frame time while browsing and filtering the bench's
 * annuaire, through the TUI's own measurement (packages/tui/scripts/frame-times.tsx), against
 * the bench's server process. React runs its production build, as in the bin.
 */
import { measureFrames, type FrameTimes } from '../packages/tui/scripts/frame-times';

export type { FrameTimes, KeyTimes } from '../packages/tui/scripts/frame-times';

export function measureKeystrokes(o: { port: number; username: string; password: string; size: number }): Promise<FrameTimes> {
  return measureFrames({ ...o, log: (s) => process.stderr.write(s.replace(/^/gm, 'tui: ') + '\n') });
}
