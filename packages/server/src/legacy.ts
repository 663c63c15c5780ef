import { Username } from '@annuaire/protocol';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashPassword } from './auth/passwords';
import { usernameKey } from './auth/username';
import { defaultConfig } from './config';
import { csvLines } from './services/formats/csv';
import { createServices } from './services';
import { openDatabase } from './store/db';

/**
 * `annuaire-server import-legacy DIR`: the seed's own files into the database. The seed kept
 * `utilisateurs.json` ({"rim": {"password": "123", "annuaire": "rim_annuaire.txt"}}) with
 * clear passwords, and each user's annuaire as text, one contact a line: nom, prénom, email,
 * téléphone, separated by ",", ";" or tabs.
 *
 * Each password is hashed (argon2id) as it is read; once the accounts are in, the passwords are
 * removed from utilisateurs.json too (rewritten in place, "password": null), so that no clear
 * copy remains. Each contact line goes through the same import as a CSV file (lenient, values
 * that cannot be kept left out with a warning).
 */

export interface LegacyUserReport {
  username: string;
  status: 'migrated' | 'skipped';
  reason?: string;
  imported?: number;
  rejected?: { line: number; reason: string }[];
  warnings?: { line: number; field: string; reason: string }[];
  /** The seed allowed any password; ours need 8 characters at the next change. */
  weakPassword?: boolean;
}

interface LegacyEntry {
  password?: unknown;
  annuaire?: unknown;
}

const LEGACY_HEADER = ['nom', 'prenom', 'email', 'telephone'];

/** One seed line's fields: the first of tab, ";" and "," it holds separates them. */
export function splitLegacyLine(line: string): string[] {
  const sep = line.includes('\t') ? '\t' : line.includes(';') ? ';' : ',';
  return line.split(sep).map((f) => f.trim());
}

export async function importLegacy(dir: string, dataDir: string): Promise<LegacyUserReport[]> {
  const usersFile = ['utilisateurs.json', 'utilisateur.json'].map((f) => path.join(dir, f)).find(existsSync);
  if (!usersFile) throw new Error(`no utilisateurs.json in ${dir}`);
  const entries = JSON.parse(readFileSync(usersFile, 'utf8')) as Record<string, LegacyEntry>;
  if (!entries || typeof entries !== 'object' || Array.isArray(entries)) throw new Error(`${usersFile}: not an object of users`);

  const config = defaultConfig({ dataDir });
  const { db } = openDatabase(dataDir);
  const reports: LegacyUserReport[] = [];
  try {
    const services = await createServices(db, {
      sessions: config.sessions,
      throttle: config.throttle,
      accountCreation: config.accountCreation,
      quota: config.quota,
      phoneRegion: config.phoneRegion,
      onRevoke: () => {},
      dataDir,
    });
    for (const [name, entry] of Object.entries(entries)) {
      const username = name.normalize('NFC');
      const skip = (reason: string) => reports.push({ username, status: 'skipped', reason });
      if (!Username.safeParse(username).success) {
        skip('invalid_username');
        continue;
      }
      if (typeof entry?.password !== 'string' || entry.password === '') {
        skip(entry?.password === null ? 'already_migrated' : 'no_password');
        continue;
      }
      if (await services.backend.users.findByKey(usernameKey(username))) {
        skip('username_taken');
        continue;
      }
      const passwordHash = await hashPassword(entry.password);
      const user = await services.backend.users.create(username, usernameKey(username), passwordHash, new Date().toISOString());
      const report: LegacyUserReport = { username, status: 'migrated', imported: 0, rejected: [], warnings: [], weakPassword: entry.password.length < 8 };
      reports.push(report);
      const file = typeof entry.annuaire === 'string' ? path.join(dir, path.basename(entry.annuaire)) : null;
      if (!file || !existsSync(file)) {
        report.reason = 'no_annuaire_file';
        continue;
      }
      // The seed's lines as CSV rows (line numbers kept: row N + 1 is line N), through the ordinary import.
      const lines = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
      const rows = lines.map((l) => (l.trim() === '' ? ['', '', '', ''] : splitLegacyLine(l).slice(0, 4)));
      const csv = Buffer.from(csvLines([LEGACY_HEADER, ...rows]));
      const session = { userId: user.id, username, annuaireId: user.annuaire_id, sessionId: 0 };
      const result = await services.transfer.importBytes(session, 'csv', csv, { dryRun: false });
      report.imported = result.imported;
      report.rejected = result.rejected.map((r) => ({ line: r.position - 1, reason: r.reason }));
      report.warnings = result.warnings.map((w) => ({ line: w.position - 1, field: w.field, reason: w.reason }));
    }
  } finally {
    db.close();
  }
  scrubPasswords(usersFile, entries, reports);
  return reports;
}

/** utilisateurs.json without the clear passwords of the accounts now in the database (atomic rewrite). */
function scrubPasswords(file: string, entries: Record<string, LegacyEntry>, reports: LegacyUserReport[]): void {
  const migrated = new Set(reports.filter((r) => r.status === 'migrated').map((r) => r.username));
  const scrubbed = Object.fromEntries(
    Object.entries(entries).map(([name, e]) => [name, migrated.has(name.normalize('NFC')) ? { ...e, password: null, migrated: true } : e]),
  );
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(scrubbed, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/** The report as people read it, one user a paragraph. */
export function describeLegacy(reports: LegacyUserReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    if (r.status === 'skipped') {
      out.push(`${r.username}: skipped (${r.reason})`);
      continue;
    }
    out.push(`${r.username}: migrated, ${r.imported} contact(s) imported${r.reason ? ` (${r.reason})` : ''}${r.weakPassword ? '; password under 8 characters: change it' : ''}`);
    for (const x of r.rejected ?? []) out.push(`  line ${x.line}: skipped (${x.reason})`);
    for (const w of r.warnings ?? []) out.push(`  line ${w.line}: ${w.field} left out (${w.reason})`);
  }
  const migrated = reports.filter((r) => r.status === 'migrated');
  out.push(`${migrated.length} account(s) migrated, ${reports.length - migrated.length} skipped, ${migrated.reduce((n, r) => n + (r.imported ?? 0), 0)} contact(s) imported; passwords hashed and removed from utilisateurs.json.`);
  return out.join('\n');
}
