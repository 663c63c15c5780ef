/**
 * The bench's TUI hook: keystroke-to-frame time while browsing and filtering the bench's
 * annuaire, through the TUI's own measurement (packages/tui/scripts/frame-times.ts), against
 * the bench's server process. React runs its production build, as in the bin.
 */
// eslint-disable-next-line no-restricted-imports -- the TUI package exports nothing while another branch reorganises it; then a "./frame-times" export in its package.json replaces this path (issue 12)
import { measureFrames, type FrameTimes } from '../packages/tui/scripts/frame-times';

// eslint-disable-next-line no-restricted-imports -- as above: the TUI's measurement, not yet exported by its package
export type { FrameTimes, KeyTimes } from '../packages/tui/scripts/frame-times';

export function measureKeystrokes(o: { port: number; username: string; password: string; size: number }): Promise<FrameTimes> {
  return measureFrames({ ...o, log: (s) => process.stderr.write(s.replace(/^/gm, 'tui: ') + '\n') });
}
