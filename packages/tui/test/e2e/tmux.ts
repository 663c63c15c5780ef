import { execFileSync, spawnSync } from 'node:child_process';

export const hasTmux = (): boolean => spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;

/** One tmux server of our own (its own socket), one session, one pane: a real terminal to drive. */
export class TmuxTerminal {
  private readonly socket = `annuaire-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(
    readonly session = 'e2e',
    readonly size = { columns: 100, rows: 30 },
  ) {}

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  start(command: string, env: Record<string, string> = {}): void {
    const exports = Object.entries(env).map(([k, v]) => `export ${k}='${v}';`).join(' ');
    this.tmux('new-session', '-d', '-s', this.session, '-x', String(this.size.columns), '-y', String(this.size.rows), `${exports} ${command}`);
  }

  /** The screen as a user sees it (French no-break spaces read as spaces: tests match words, not spacing). */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.session).replace(/\u00a0/g, ' ');
  }

  /** 1 while the program is in the alternate screen. */
  alternateOn(): boolean {
    return this.tmux('display-message', '-p', '-t', this.session, '#{alternate_on}').trim() === '1';
  }

  panePid(): number {
    return Number(this.tmux('display-message', '-p', '-t', this.session, '#{pane_pid}').trim());
  }

  /** Literal text, as if typed. */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.session, '-l', text);
  }

  /** Named keys: Enter, Tab, BTab, Escape, Down, C-s, C-d, C-c… */
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.session, ...keys);
  }

  /** Pastes text the way a terminal does, as a bracketed paste when the program asked for one. */
  paste(text: string): void {
    this.tmux('set-buffer', '-b', 'e2e', text);
    this.tmux('paste-buffer', '-p', '-b', 'e2e', '-t', this.session);
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.session, '-x', String(columns), '-y', String(rows));
  }

  async waitFor(matcher: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      const ok = typeof matcher === 'string' ? screen.includes(matcher) : matcher instanceof RegExp ? matcher.test(screen) : matcher(screen);
      if (ok) return screen;
      if (Date.now() > deadline) throw new Error(`screen never matched ${String(matcher)}; it shows:\n${screen}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}
