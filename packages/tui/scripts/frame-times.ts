/**
 * Keystroke-to-frame time in the TUI's render path, against a real server on loopback.
 * Shared by `packages/tui/scripts/measure-frames.tsx` (its own in-process server) and by
 * `pnpm bench` (bench/tui.ts, the bench's server process on its 100k annuaire).
 *
 * The app renders into an in-memory terminal (ink-testing-library: unthrottled, 100 columns,
 * 24 rows). For each key we time from writing the key to the first frame that shows its effect:
 * scrolling with ↓ and PgDn, jumping to the end, typing a filter. React and Ink run their
 * production builds, as in the bin (this module's first import sets NODE_ENV like the bin does).
 * No JSX in this file: esbuild puts the JSX runtime's import above every other, so React would
 * load before NODE_ENV is set, in development, beside a production reconciler (nothing renders).
 */
import './production-first';
import { createRequire } from 'node:module';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { App } from '../src/app';
import { ServerClient } from '../src/client/serverClient';

/** Milliseconds; `cpu*` is this process's CPU per key (UI and client, and the server when in-process). */
export interface KeyTimes {
  n: number;
  p50: number;
  p95: number;
  max: number;
  cpuP50?: number;
  cpuP95?: number;
}

export interface FrameTimes {
  size: number;
  /** How many contacts the list said it holds when opened. */
  contacts: number;
  /** Which React build ran the measurement: 'production' as in the bin. */
  react: 'production' | 'development' | 'mixed' | 'unknown';
  renderer: string;
  /** ↓/↑ on the six-line home menu: the same key path with nothing to load. */
  menu: KeyTimes;
  /** Opening the contact list until its first page is shown. */
  openMs: number;
  /** ↓ in the list, 300 keys from the top (pages load as needed). */
  down: KeyTimes;
  /** PgDn: key → first frame that changes, and → its rows loaded and shown. */
  pageDown: KeyTimes;
  pageDownLoaded: KeyTimes;
  /** End (one key, cold): first frame, and the last rows loaded and shown. */
  endMs: number;
  endLoadedMs: number;
  /** ↑ near the end, every row there loaded. */
  up: KeyTimes;
  /** Typing a filter ("dupont", "martin", "lefebvre"): key → query echoed, key → results shown. */
  filterEcho: KeyTimes;
  filterResults: KeyTimes;
}

export interface MeasureOptions {
  host?: string;
  port: number;
  username: string;
  password: string;
  /** How many contacts the annuaire was built with (the list may hold more). */
  size: number;
  /** One line per result as it is measured. */
  log?: (line: string) => void;
}

// eslint-disable-next-line no-control-regex -- strips the terminal escapes (ESC) from a frame
const plain = (s: string | undefined) => (s ?? '').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
const selectedLine = (f: string) => f.split('\n').find((l) => l.includes('❯ ')) ?? '';

/** The builds of React, its reconciler and scheduler loaded in this process: all of one kind, or 'mixed'. */
function reactBuild(): FrameTimes['react'] {
  const builds = new Set<string>();
  // (Node's ESM loader also lists a CommonJS module's re-export targets, unloaded: both builds appear.)
  for (const [f, mod] of Object.entries(createRequire(import.meta.url).cache)) {
    if (!mod?.loaded) continue;
    const m = /[\\/](?:react|react-reconciler|scheduler)[\\/]cjs[\\/][^\\/]+\.(production|development)\.js$/.exec(f);
    if (m) builds.add(m[1]!);
  }
  return builds.size === 1 ? (builds.has('production') ? 'production' : 'development') : builds.size ? 'mixed' : 'unknown';
}

function summary(xs: number[], cpu?: number[]): KeyTimes {
  const q = (v: number[], p: number) => {
    const s = [...v].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  };
  return {
    n: xs.length,
    p50: q(xs, 0.5),
    p95: q(xs, 0.95),
    max: Math.max(...xs),
    ...(cpu?.length ? { cpuP50: q(cpu, 0.5), cpuP95: q(cpu, 0.95) } : {}),
  };
}

export function formatKeyTimes(name: string, t: KeyTimes): string {
  const line = (label: string, p50: number, p95: number, max?: number) =>
    `${label.padEnd(42)} n=${String(t.n).padStart(4)}  p50 ${p50.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms${max === undefined ? '' : `  max ${max.toFixed(2)} ms`}`;
  const out = [line(name, t.p50, t.p95, t.max)];
  if (t.cpuP50 !== undefined) out.unshift(line(`${name} [CPU]`, t.cpuP50, t.cpuP95!));
  return out.join('\n');
}

export async function measureFrames(o: MeasureOptions): Promise<FrameTimes> {
  const log = o.log ?? (() => {});
  const { size } = o;
  const build = reactBuild();
  if (build === 'mixed') throw new Error('React was loaded before NODE_ENV was set: development React beside a production reconciler renders nothing');
  const connection = new ServerClient({ host: o.host ?? '127.0.0.1', port: o.port, lang: 'fr' });
  const ui = render(createElement(App, { connection, lang: 'fr' }));
  void connection.start();
  try {
    let waiters: (() => void)[] = [];
    const write = ui.stdout.write;
    ui.stdout.write = (frame: string) => {
      write(frame);
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    };
    const nextFrame = () => new Promise<void>((r) => waiters.push(r));

    const until = async (pred: (frame: string) => boolean, timeoutMs = 60_000): Promise<string> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const f = plain(ui.lastFrame());
        if (pred(f)) return f;
        if (Date.now() > deadline) throw new Error(`timeout; last frame:\n${f}`);
        await Promise.race([nextFrame(), new Promise((r) => setTimeout(r, 50))]);
      }
    };

    /** CPU ms of this process per timed key: steadier than wall time on a busy machine. */
    let cpu: number[] = [];
    /** ms from writing `key` to the first frame for which `pred` holds. */
    const time = async (key: string, pred: (frame: string) => boolean): Promise<number> => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      ui.stdin.write(key);
      await until(pred);
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      return wall;
    };
    const keys = (name: string, xs: number[], withCpu = true): KeyTimes => {
      const t = summary(xs, withCpu ? cpu : undefined);
      cpu = [];
      log(formatKeyTimes(name, t));
      return t;
    };

    await until((f) => f.includes('● connecté'));
    ui.stdin.write('2');
    await until((f) => f.includes("Nom d'utilisateur"));
    ui.stdin.write(`${o.username}\r${o.password}\r`);
    await until((f) => f.includes('Menu principal'));

    // Baseline: the same key path on a six-line menu.
    cpu = [];
    const menuTimes: number[] = [];
    for (let i = 0; i < 100; i++) {
      const before = plain(ui.lastFrame());
      menuTimes.push(await time(i % 2 ? '\u001b[A' : '\u001b[B', (f) => f !== before));
    }
    const menu = keys('baseline: ↓/↑ on the home menu', menuTimes);

    const openStart = performance.now();
    ui.stdin.write('2');
    // (the bench's annuaire has grown by its add_contact runs: any count will do, and is reported)
    const listed = Number(/(\d+) contact\(s\)/.exec(await until((f) => /\d+ contact\(s\)/.test(f)))![1]);
    await until((f) => !f.includes('chargement…'));
    const openMs = performance.now() - openStart;
    log(`open the list (first page shown)          ${openMs.toFixed(1)} ms`);

    cpu = [];
    const downTimes: number[] = [];
    for (let i = 0; i < 300; i++) {
      const before = plain(ui.lastFrame());
      downTimes.push(await time('\u001b[B', (f) => f !== before && !selectedLine(f).includes('chargement')));
    }
    const down = keys('↓ (300 keys, pages load as needed)', downTimes);

    cpu = [];
    const pgdn: number[] = [];
    const pgdnLoaded: number[] = [];
    // (fewer on a small annuaire, so that PgDn never hits the end, where the frame stops changing)
    for (let i = 0; i < Math.min(100, Math.floor(listed / 40)); i++) {
      const before = plain(ui.lastFrame());
      const t0 = performance.now();
      pgdn.push(await time('\u001b[6~', (f) => f !== before));
      await until((f) => !f.includes('chargement…'));
      pgdnLoaded.push(performance.now() - t0);
    }
    const pageDown = keys('PgDn: key → first frame', pgdn);
    const pageDownLoaded = keys('PgDn: key → rows loaded and shown', pgdnLoaded, false);

    const endT0 = performance.now();
    const beforeEnd = plain(ui.lastFrame());
    const endMs = await time('\u001b[F', (f) => f !== beforeEnd);
    await until((f) => !f.includes('chargement…'), 120_000);
    const endLoadedMs = performance.now() - endT0;
    log(`End: key → first frame                     ${endMs.toFixed(1)} ms`);
    log(`End: key → last rows loaded (${listed} rows)   ${endLoadedMs.toFixed(1)} ms`);

    cpu = [];
    const upTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const before = plain(ui.lastFrame());
      upTimes.push(await time('\u001b[A', (f) => f !== before));
    }
    const up = keys('↑ near the end (200 keys, all loaded)', upTimes);

    cpu = [];
    const echo: number[] = [];
    const results: number[] = [];
    for (const query of ['dupont', 'martin', 'lefebvre']) {
      if (!plain(ui.lastFrame()).includes('(tapez pour filtrer)')) {
        ui.stdin.write('\u001b'); // clear the filter
        await until((f) => f.includes('(tapez pour filtrer)'));
      }
      let typed = '';
      for (const ch of query) {
        typed += ch;
        const t0 = performance.now();
        echo.push(await time(ch, (f) => f.includes(`Filtre : ${typed}`)));
        await until((f) => f.includes(`pour « ${typed} »`) && !f.includes('chargement…'));
        results.push(performance.now() - t0);
      }
    }
    const filterEcho = keys('filter: key → query echoed', echo);
    const filterResults = keys('filter: key → search results shown', results, false);

    return {
      size,
      contacts: listed,
      react: build,
      renderer: 'ink-testing-library (unthrottled), 100×24',
      menu,
      openMs,
      down,
      pageDown,
      pageDownLoaded,
      endMs,
      endLoadedMs,
      up,
      filterEcho,
      filterResults,
    };
  } finally {
    ui.unmount();
    await connection.close();
  }
}
