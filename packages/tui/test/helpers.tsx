import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ReactNode } from 'react';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startServer } from '@annuaire/server';
import { connect, type AnnuaireClient, type Contact, type Language } from '@annuaire/protocol';
import { App } from '../src/app';
import { KeypressProvider } from '../src/hooks/useKeypress';
import { I18nProvider } from '../src/i18n';
import { ServerClient } from '../src/client/serverClient';

/** Raw bytes a terminal sends for each key. */
export const KEY = {
  enter: '\r',
  tab: '\t',
  shiftTab: '\u001b[Z',
  esc: '\u001b',
  up: '\u001b[A',
  down: '\u001b[B',
  left: '\u001b[D',
  right: '\u001b[C',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
  home: '\u001b[H',
  end: '\u001b[F',
  backspace: '\u007f',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  ctrlN: '\u000e',
  ctrlS: '\u0013',
  ctrlU: '\u0015',
} as const;

/** Strips colours and styles so tests read frames as a user reads the screen. */
// eslint-disable-next-line no-control-regex -- strips the terminal escapes (ESC) from a frame
export const plain = (frame: string | undefined) => (frame ?? '').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\u00a0/g, ' ');

type Matcher = string | RegExp | ((frame: string) => boolean);
const matches = (frame: string, m: Matcher) => (typeof m === 'string' ? frame.includes(m) : m instanceof RegExp ? m.test(frame) : m(frame));

/** Polls the last frame until it matches (no fixed sleeps); fails with the frame it last saw. */
export async function waitForFrame(lastFrame: () => string | undefined, matcher: Matcher, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = plain(lastFrame());
    if (matches(frame, matcher)) return frame;
    if (Date.now() > deadline) throw new Error(`no frame matched ${String(matcher)} within ${timeoutMs} ms; last frame:\n${frame}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until an arbitrary condition holds (polling). */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Renders a component inside the providers every component expects (no connection). */
export function renderUi(node: ReactNode, lang: Language = 'fr') {
  return render(
    <I18nProvider lang={lang}>
      <KeypressProvider>{node}</KeypressProvider>
    </I18nProvider>,
  );
}

/**
 * A real server on an ephemeral port over a fresh data directory. Every test makes its own
 * account from 127.0.0.1: more than the 20 an address may create per hour by default.
 */
export async function startTestServer() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'annuaire-tui-'));
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, accountCreation: { perAddress: 1000, windowMs: 3600_000 } });
  /** Stops the server and removes its data directory, as the server package's startTestServer does. */
  const close = async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  /** @deprecated The old name of close(), kept while other branches still call it. */
  const stop = close;
  return { ...server, dataDir, close, stop };
}

/** One real server for a test file: started before its tests, closed (data directory removed) after them. */
export function serverForFile(): { readonly port: number } {
  let started: Awaited<ReturnType<typeof startTestServer>> | undefined;
  beforeAll(async () => {
    started = await startTestServer();
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    get port() {
      if (!started) throw new Error('the server starts in beforeAll');
      return started.port;
    },
  };
}

/** After each test, closes what it opened (`opened()` lists them, in order), then `forget()` clears them. */
export function closeAfterEach(opened: () => ({ close(): Promise<unknown> | void } | undefined)[], forget: () => void): void {
  afterEach(async () => {
    for (const o of opened()) await o?.close();
    forget();
  });
}

/** A protocol client on the side, to set data up or change it behind the TUI's back. */
export async function sideClient(port: number, username?: string, password = 'motdepasse1'): Promise<AnnuaireClient> {
  const client = await connect('127.0.0.1', port);
  if (username) {
    await client.request('create_account', { username, password }).catch(() => undefined);
    await client.request('login', { username, password });
  }
  return client;
}

let userSeq = 0;
/** A username no other test uses. */
export const uniqueUser = (prefix = 'user') => `${prefix}${process.pid % 1000}x${++userSeq}`;

/** The whole app against a server, as the bin runs it (minus the terminal). */
export async function renderApp(port: number, lang: Language = 'fr', backoff = { initialMs: 50, maxMs: 200 }, more: { host?: string; knownHostsFile?: string; caFile?: string } = {}) {
  const tls = more.caFile ? { ca: readFileSync(more.caFile) } : more.knownHostsFile ? { knownHostsFile: more.knownHostsFile } : undefined;
  const connection = new ServerClient({ host: more.host ?? '127.0.0.1', port, lang, backoff, ...(tls ? { tls } : {}) });
  let quit = false;
  const ui = render(<App connection={connection} lang={lang} onQuit={() => (quit = true)} knownHostsFile={more.knownHostsFile} caFile={more.caFile} />);
  void connection.start();
  const type = (text: string) => ui.stdin.write(text);
  return {
    ...ui,
    connection,
    type,
    hasQuit: () => quit,
    press: (...keys: string[]) => {
      for (const k of keys) ui.stdin.write(k);
    },
    waitFor: (m: Matcher, timeoutMs?: number) => waitForFrame(ui.lastFrame, m, timeoutMs),
    async close() {
      ui.unmount();
      await connection.close();
    },
  };
}

/** The app, logged in as `username` (password motdepasse1) through the login form, on the home menu. */
export async function renderLoggedIn(port: number, username: string) {
  const ui = await renderApp(port);
  await ui.waitFor('● connecté');
  ui.press('2');
  await ui.waitFor('Se connecter');
  ui.type(`${username}\rmotdepasse1\r`);
  await ui.waitFor('Menu principal');
  return ui;
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * A flow test file's fixture: one server for the file; each test's app and side client are
 * closed after it. Call at the top of the file; read `server`, set `app` and `side` in the tests.
 */
export function flowFixture() {
  const f: { server: Awaited<ReturnType<typeof startTestServer>>; app?: { close(): Promise<void> }; side?: AnnuaireClient } = {} as never;
  beforeAll(async () => {
    f.server = await startTestServer();
  });
  afterAll(async () => {
    await f.server.stop();
  });
  afterEach(async () => {
    await f.app?.close();
    await f.side?.close();
    f.app = f.side = undefined;
  });
  return f;
}

/** A contact as the server returns one, with only a nom (and the fields given). */
export function contactOf(id: number, nom: string, more: Partial<Contact> = {}): Contact {
  return {
    id,
    nom,
    prenom: '',
    email: null,
    telephone: null,
    emails: [],
    telephones: [],
    entreprise: null,
    fonction: null,
    adresse: null,
    anniversaire: null,
    site_web: null,
    notes: null,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...more,
  };
}
