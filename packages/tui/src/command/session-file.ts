import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What `annuaire login` leaves for the next commands: where the server is, and the session's token. */
export interface SavedSession {
  host: string;
  port: number;
  tls: boolean;
  ca?: string;
  username: string;
  token: string;
}

/** ~/.config/annuaire/session.json, or under $XDG_CONFIG_HOME. */
export function sessionFile(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(config, 'annuaire', 'session.json');
}

export function loadSession(file: string): SavedSession | null {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as SavedSession;
    return typeof s.token === 'string' && typeof s.host === 'string' && Number.isInteger(s.port) ? s : null;
  } catch {
    return null;
  }
}

/** The token is a password's worth: the directory is 0700 and the file 0600, whatever the umask. */
export function saveSession(file: string, session: SavedSession): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(session, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function removeSession(file: string): void {
  rmSync(file, { force: true });
}
