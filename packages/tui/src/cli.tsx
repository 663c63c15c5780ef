import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { render } from 'ink';
import type { Language } from '@annuaire/protocol';
import { App } from './app';
import { COMMANDS, runCommand } from './command/run';
import { chooseServer, closeWhenAlone } from './client/embedded';
import { CliError, languageOf, parseCli, type CliOptions } from './args';
import { translate } from './i18n';
import { ServerClient } from './client/serverClient';
import { enterFullscreen, exitOnSignalsAndCrashes } from './terminal';
import { defaultKnownHostsFile } from './tls/knownHosts';

/**
 * Ink renders nothing but the last frame when it believes it runs in CI (CI or
 * CONTINUOUS_INTEGRATION set), and it decides that when it loads. In a real terminal we want
 * the live UI whatever the environment says, so we run ourselves again without those variables.
 */
function rerunWithoutCiFlags(): Promise<number> {
  const env = { ...process.env };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
}

const ciFlagged = () => ['CI', 'CONTINUOUS_INTEGRATION'].some((k) => k in process.env && process.env[k] !== '0' && process.env[k] !== 'false');

async function run(options: CliOptions, ca: Buffer | undefined): Promise<number> {
  const { lang } = options;
  const { embedded, dataDir, error, port = options.port } = await chooseServer(options, () => import('@annuaire/server'), options.dataDir);
  if (error) process.stderr.write(translate(lang, 'cli.embeddedFailed', { message: error }) + '\n');

  // With a private CA, its signature is what we trust: nothing is pinned.
  const knownHostsFile = options.tls && !ca ? defaultKnownHostsFile() : undefined;
  const tls = ca ? { ca } : knownHostsFile ? { knownHostsFile } : undefined;
  const connection = new ServerClient({ host: options.host, port, lang, ...(tls ? { tls } : {}) });
  const screen = enterFullscreen(process.stdout);
  const cleanup = async () => {
    await connection.close();
    await embedded?.close();
  };
  exitOnSignalsAndCrashes(screen.restore, cleanup);
  const instance = render(<App connection={connection} lang={lang} dataDir={dataDir} knownHostsFile={knownHostsFile} caFile={options.ca} />, {
    exitOnCtrlC: false,
    patchConsole: true,
    // Ink 6.8's incremental mode leaves stale lines behind in the alternate screen: whole frames it is.
    maxFps: 60,
  });
  void connection.start();
  try {
    await instance.waitUntilExit();
  } finally {
    // Leave the alternate screen before anything is printed (a render error, say), or it is lost.
    screen.restore();
    await connection.close();
    // Others still use the server started here: it serves them until they leave (Ctrl+C stops it now).
    const address = `${options.host}:${port}`;
    if (embedded) await closeWhenAlone(embedded, (count) => process.stderr.write(translate(lang, 'cli.serverStaysUp', { count, address, dataDir: dataDir ?? '' }) + '\n'), new Promise(() => {}));
  }
  return 0;
}

async function main(): Promise<number> {
  // `annuaire login|logout|import|export|search …`: the command line for scripts and mail clients.
  if (COMMANDS.has(process.argv[2] ?? '')) return runCommand(process.argv.slice(2));
  let options: CliOptions;
  const argv = process.argv.slice(2);
  // Worded in the language asked for, even when the rest of the line is wrong.
  const fallbackLang: Language = languageOf(argv, process.env);
  try {
    options = parseCli(argv, process.env);
  } catch (err) {
    const message = err instanceof CliError ? translate(fallbackLang, err.key, err.vars) : err instanceof Error ? err.message : String(err);
    process.stderr.write(translate(fallbackLang, 'help.badOption', { message }) + '\n\n');
    process.stderr.write(translate(fallbackLang, 'help.usage') + '\n');
    return 2;
  }
  if (options.help) {
    process.stdout.write(translate(options.lang, 'help.usage') + '\n');
    return 0;
  }
  let ca: Buffer | undefined;
  if (options.ca !== undefined) {
    const read = readCa(options.ca);
    if (typeof read === 'string') {
      process.stderr.write(translate(options.lang, 'cli.badCa', { file: options.ca, reason: read }) + '\n');
      return 2;
    }
    ca = read;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(translate(options.lang, 'cli.needsTty') + '\n');
    return 1;
  }
  if (ciFlagged()) return rerunWithoutCiFlags();
  return run(options, ca);
}

/** The CA file's contents, or why it cannot be used. */
function readCa(file: string): Buffer | string {
  try {
    const pem = readFileSync(file);
    return pem.includes('-----BEGIN CERTIFICATE-----') ? pem : 'no PEM certificate in it';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`annuaire: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
