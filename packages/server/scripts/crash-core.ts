/**
 * Crash safety, shared by packages/server/test/crash.test.ts (20 cycles) and
 * `pnpm fuzz --crash-cycles N` (as many as asked).
 *
 * Each cycle starts the built server on the same data directory, checks what the last
 * crash left, puts a write load on it from a few clients (adds, updates, deletes,
 * pipelined), and SIGKILLs it at a random moment. What must hold after every kill:
 *   - PRAGMA integrity_check is "ok" (the file opened read-only, before any restart);
 *   - every write whose reply was received is there, exactly as acknowledged;
 *   - a write sent but not acknowledged is either wholly there or wholly absent;
 *   - nothing half-written: each contact's notes carry the token of its own version,
 *     and the search index agrees with the table (search finds exactly what list returns,
 *     each contact's current token finds it alone, replaced and deleted tokens find nothing).
 */
import { connect, ProtocolError, type AnnuaireClient, listAllContacts } from '@annuaire/protocol';
import { mulberry32 } from '@annuaire/test-utils';
import { Sqlite as Database } from '../src/store/sqlite';
import path from 'node:path';
import { spawnServer, type SpawnedServer } from '../test/spawn';

export interface CrashOptions {
  dataDir: string;
  cycles: number;
  seed: number;
  clients?: number;
  /** Each kill comes this long (ms, uniformly drawn) after the load starts. */
  killAfterMs?: [number, number];
  log?: (line: string) => void;
}

export interface CrashReport {
  cycles: number;
  acknowledged: number;
  /** Writes in flight at a kill, found committed after it (whole). */
  unackedCommitted: number;
  /** Writes in flight at a kill, found absent after it. */
  unackedLost: number;
  contacts: number;
  failures: string[];
}

interface Tracked {
  id: number;
  nom: string;
  version: number;
  token: string;
  /** Tokens this contact had before: the search must not find it by them any more. */
  oldTokens: string[];
  deleted: boolean;
  owner: number;
  /** The operation in flight on it, if any (one at a time per contact). */
  inFlight?: { kind: 'update'; token: string } | { kind: 'delete' };
}

const PRENOM = 'Crashtest';
const USER = { username: 'crash', password: 'motdepasse-crash' };

export async function runCrashCycles(options: CrashOptions): Promise<CrashReport> {
  const { dataDir, cycles, seed, clients = 3, killAfterMs = [30, 350], log = () => {} } = options;
  const random = mulberry32(seed);
  const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
  // Same length for every token: a prefix search for one can only find itself.
  const newToken = () => 'q' + letters(11);
  const report: CrashReport = { cycles: 0, acknowledged: 0, unackedCommitted: 0, unackedLost: 0, contacts: 0, failures: [] };
  const fail = (msg: string) => report.failures.push(`cycle ${report.cycles}: ${msg}`);

  const tracked = new Map<number, Tracked>();
  /** Adds in flight at the kill, by their unique nom. */
  let pendingAdds = new Map<string, { token: string; owner: number }>();
  let seq = 0;
  let token: string | undefined;
  /** Contacts whose tokens should be checked in the search after the next restart. */
  let touched = new Set<number>();

  for (let cycle = 0; cycle <= cycles; cycle++) {
    report.cycles = cycle;
    const srv: SpawnedServer = await spawnServer(dataDir, ['--quiet']);
    try {
      const checker = await connect('127.0.0.1', srv.port);
      if (token === undefined) {
        await checker.request('create_account', USER);
        token = (await checker.request('login', USER)).session_token;
      } else {
        await checker.request('resume_session', { session_token: token });
        await verify(checker);
      }
      if (report.failures.length > 0 || cycle === cycles) {
        await checker.close();
        await srv.kill('SIGTERM');
        break;
      }
      await checker.close();
      await load(srv);
    } finally {
      if (srv.alive()) await srv.kill('SIGKILL');
    }
    checkFile();
    if (report.failures.length > 0) break;
  }
  report.contacts = [...tracked.values()].filter((c) => !c.deleted).length;
  return report;

  /** The database file, straight after the kill, read-only, before anything recovers it. */
  function checkFile(): void {
    const db = new Database(path.join(dataDir, 'annuaire.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') fail(`integrity_check: ${String(integrity)}`);
      const fk = db.pragma('foreign_key_check') as unknown[];
      if (fk.length > 0) fail(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
    } finally {
      db.close();
    }
  }

  /** A write load from `clients` connections until the server is killed under it. */
  async function load(srv: SpawnedServer): Promise<void> {
    const conns = await Promise.all(
      Array.from({ length: clients }, async () => {
        const c = await connect('127.0.0.1', srv.port);
        await c.request('resume_session', { session_token: token! });
        return c;
      }),
    );
    const killAt = killAfterMs[0] + random() * (killAfterMs[1] - killAfterMs[0]);
    const workers = conns.map((c, i) => worker(c, i));
    await new Promise((r) => setTimeout(r, killAt));
    await srv.kill('SIGKILL');
    await Promise.all(workers);
  }

  /** One client: up to four requests in flight, until its connection dies. */
  async function worker(client: AnnuaireClient, owner: number): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (!client.isClosed) {
      while (inFlight.size < 4 && !client.isClosed) {
        const p = oneWrite(client, owner).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await Promise.race(inFlight);
    }
    await Promise.allSettled(inFlight);
  }

  async function oneWrite(client: AnnuaireClient, owner: number): Promise<void> {
    const mine = [...tracked.values()].filter((c) => c.owner === owner && !c.deleted && !c.inFlight);
    const r = random();
    try {
      if (mine.length === 0 || r < 0.45) {
        const nom = `Crashnom${++seq}`;
        const t = newToken();
        pendingAdds.set(nom, { token: t, owner });
        const { contact } = await client.request('add_contact', { nom, prenom: PRENOM, notes: t, entreprise: 'ACME' });
        pendingAdds.delete(nom);
        if (contact.notes !== t || contact.version !== 1) fail(`add replied ${JSON.stringify(contact)}`);
        tracked.set(contact.id, { id: contact.id, nom, version: 1, token: t, oldTokens: [], deleted: false, owner });
        touched.add(contact.id);
        report.acknowledged++;
      } else if (r < 0.9) {
        const c = mine[Math.floor(random() * mine.length)]!;
        const t = newToken();
        c.inFlight = { kind: 'update', token: t };
        const { contact } = await client.request('update_contact', { contact_id: c.id, version: c.version, notes: t });
        c.inFlight = undefined;
        if (contact.version !== c.version + 1 || contact.notes !== t) fail(`update replied ${JSON.stringify(contact)}`);
        c.oldTokens.push(c.token);
        c.version = contact.version;
        c.token = t;
        touched.add(c.id);
        report.acknowledged++;
      } else {
        const c = mine[Math.floor(random() * mine.length)]!;
        c.inFlight = { kind: 'delete' };
        await client.request('delete_contact', { contact_id: c.id });
        c.inFlight = undefined;
        c.deleted = true;
        touched.add(c.id);
        report.acknowledged++;
      }
    } catch (err) {
      // The kill: the write stays in flight, to be judged after the restart.
      if (err instanceof ProtocolError) fail(`unexpected refusal: ${err.code} ${err.message}`);
    }
  }


  /** Ids the search finds for `query`, every page. */
  async function searchIds(client: AnnuaireClient, query: string): Promise<{ ids: number[]; total: number }> {
    const ids: number[] = [];
    let total: number;
    for (let offset = 0; ; offset += 500) {
      const page = await client.request('search_contacts', { query, limit: 500, offset });
      total = page.total;
      ids.push(...page.contacts.map((c) => c.id));
      if (page.contacts.length < 500) break;
    }
    return { ids, total };
  }

  /** After a restart: judge every write, acknowledged or in flight, then the search index. */
  async function verify(client: AnnuaireClient): Promise<void> {
    const listed = await listAllContacts(client);
    const byId = new Map(listed.map((c) => [c.id, c]));
    for (const c of tracked.values()) {
      const found = byId.get(c.id);
      const flight = c.inFlight;
      c.inFlight = undefined;
      if (c.deleted) {
        if (found) fail(`contact ${c.id} was deleted (acknowledged) but is back`);
        continue;
      }
      if (!found) {
        if (flight?.kind === 'delete') {
          c.deleted = true;
          report.unackedCommitted++;
          touched.add(c.id);
        } else fail(`acknowledged contact ${c.id} (${c.nom} v${c.version}) is lost`);
        continue;
      }
      if (flight?.kind === 'delete') report.unackedLost++;
      if (found.nom !== c.nom) fail(`contact ${c.id}: nom ${found.nom}, expected ${c.nom}`);
      if (found.version === c.version) {
        if (found.notes !== c.token) fail(`contact ${c.id} v${c.version}: notes ${found.notes}, expected ${c.token} (half-written?)`);
        if (flight?.kind === 'update') report.unackedLost++;
      } else if (flight?.kind === 'update' && found.version === c.version + 1 && found.notes === flight.token) {
        c.oldTokens.push(c.token);
        c.version = found.version;
        c.token = flight.token;
        touched.add(c.id);
        report.unackedCommitted++;
      } else {
        fail(`contact ${c.id}: found v${found.version} "${found.notes}", acknowledged v${c.version} "${c.token}"` + (flight?.kind === 'update' ? ` or in flight "${flight.token}"` : ''));
      }
    }
    for (const found of listed) {
      if (tracked.has(found.id)) continue;
      const add = pendingAdds.get(found.nom);
      if (add && found.notes === add.token && found.version === 1 && found.prenom === PRENOM) {
        tracked.set(found.id, { id: found.id, nom: found.nom, version: 1, token: add.token, oldTokens: [], deleted: false, owner: add.owner });
        touched.add(found.id);
        report.unackedCommitted++;
        pendingAdds.delete(found.nom);
      } else fail(`a contact no write made: ${JSON.stringify(found)}`);
    }
    report.unackedLost += pendingAdds.size;
    pendingAdds = new Map();

    // The search index and the table agree.
    const all = await searchIds(client, PRENOM);
    const listedIds = listed.map((c) => c.id).sort((a, b) => a - b);
    if (all.total !== listed.length || JSON.stringify([...all.ids].sort((a, b) => a - b)) !== JSON.stringify(listedIds)) {
      fail(`search "${PRENOM}" finds ${all.total} contacts, list returns ${listed.length}`);
    }
    // A sample of the contacts written since the last check, by their tokens.
    const sample = [...touched].slice(-40);
    touched = new Set();
    for (const id of sample) {
      const c = tracked.get(id)!;
      if (!c.deleted) {
        const hit = await searchIds(client, c.token);
        if (JSON.stringify(hit.ids) !== JSON.stringify([c.id])) fail(`search "${c.token}" finds ${JSON.stringify(hit.ids)}, expected [${c.id}]`);
      }
      for (const old of [...c.oldTokens.slice(-2), ...(c.deleted ? [c.token] : [])]) {
        const hit = await searchIds(client, old);
        if (hit.total !== 0) fail(`search for the replaced or deleted token "${old}" of ${c.id} finds ${JSON.stringify(hit.ids)}`);
      }
    }
    log(
      `cycle ${report.cycles}: ${listed.length} contacts, ${report.acknowledged} acknowledged writes, ` +
        `${report.unackedCommitted} unacknowledged found whole, ${report.unackedLost} not committed`,
    );
  }
}
