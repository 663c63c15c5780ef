/**
 * Full-screen mode by hand (Ink 6 has none: see Ink issues #263 and #450): the alternate screen
 * buffer, a hidden cursor and bracketed paste on the way in; all of it undone on the way out,
 * whichever way out it is (quit, Ctrl+C, SIGTERM, SIGHUP, a crash). Restoring is idempotent.
 */
export const ENTER = '\u001b[?1049h\u001b[?2004h\u001b[2J\u001b[H';
export const LEAVE = '\u001b[?2004l\u001b[?25h\u001b[?1049l';

export interface Fullscreen {
  restore(): void;
}

export function enterFullscreen(stdout: NodeJS.WriteStream = process.stdout): Fullscreen {
  let active = true;
  stdout.write(ENTER);
  const restore = () => {
    if (!active) return;
    active = false;
    try {
      stdout.write(LEAVE);
    } catch {
      // stdout already gone: nothing left to restore.
    }
    if (process.stdin.isTTY) {
      try {
        process.stdin.setRawMode(false);
      } catch {
        // Not ours to fail on the way out.
      }
    }
  };
  process.once('exit', restore);
  return { restore };
}

/** Signals and crashes: restore the terminal first, then report and leave with the usual code. */
export function exitOnSignalsAndCrashes(restore: () => void, cleanup: () => Promise<void>): void {
  const leave = (code: number) => {
    restore();
    void cleanup().finally(() => process.exit(code));
    // Whatever cleanup does, do not hang around for long.
    setTimeout(() => process.exit(code), 2000).unref();
  };
  process.once('SIGTERM', () => leave(143));
  process.once('SIGHUP', () => leave(129));
  process.once('SIGINT', () => leave(130));
  const crash = (err: unknown) => {
    restore();
    process.stderr.write(`annuaire: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    leave(1);
  };
  process.once('uncaughtException', crash);
  process.once('unhandledRejection', crash);
}
