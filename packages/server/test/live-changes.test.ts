/**
 * The change journal and its live feed, on a real server: several connections of one user get
 * every change once, in order, with no gap, and one that was away catches up exactly.
 */
import { connect, listAllContacts, type AnnuaireClient, type Contact, type ContactChange, type ServerEvent } from '@annuaire/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src';
import { DEFAULT_JOURNAL } from '../src/store/journal';
import { protocolError, startTestServer, type TestServer } from './helpers';

/** One terminal's view of the annuaire, kept up to date only by events and changes_since. */
class Replica {
  readonly contacts = new Map<number, Contact>();
  seq = 0;
  /** Every change seq applied from events, in arrival order (each must be seq + 1). */
  readonly applied: number[] = [];
  readonly problems: string[] = [];
  client!: AnnuaireClient;
  /** Events that came while catching up: applied after, those not already covered. */
  private held: ServerEvent[] | null = null;

  constructor(
    private readonly port: number,
    private readonly token: string,
  ) {}

  async open(): Promise<void> {
    this.client = await connect('127.0.0.1', this.port);
    this.held = [];
    this.client.on('event', (e) => (this.held ? this.held.push(e) : this.onEvent(e)));
    await this.client.request('resume_session', { session_token: this.token });
    // Subscribed from here: catch up, then events continue where changes_since stopped.
    for (let more = true; more; ) {
      const page = await this.client.request('changes_since', { seq: this.seq, limit: 7 });
      for (const c of page.changes) this.apply(c);
      this.seq = page.seq;
      more = page.more;
    }
    const held = this.held;
    this.held = null;
    for (const e of held) this.onEvent(e);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private onEvent(e: ServerEvent): void {
    if (e.event === 'resync_required') this.problems.push(`resync_required at ${e.seq}`);
    if (e.event !== 'contacts_changed') return;
    for (const c of e.changes) {
      // Written before changes_since read them: already applied.
      if (c.seq <= this.seq) continue;
      if (c.seq !== this.seq + 1) this.problems.push(`gap: ${this.seq} then ${c.seq}`);
      this.apply(c);
      this.applied.push(c.seq);
      this.seq = c.seq;
    }
    if (e.seq !== e.changes.at(-1)?.seq) this.problems.push(`event seq ${e.seq} is not its last change's`);
  }

  private apply(c: ContactChange): void {
    if (c.kind === 'deleted') this.contacts.delete(c.contact_id);
    else this.contacts.set(c.contact_id, c.contact);
  }
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ quota: { maxContacts: 100_000, maxBytes: 1 << 30 } });
}, 60_000);
afterAll(() => t?.close());

async function allContacts(client: AnnuaireClient): Promise<Map<number, Contact>> {
  return new Map((await listAllContacts(client)).map((c) => [c.id, c]));
}

/** Events are written on the turn after a write: a round trip on each connection lets them in. */
async function settle(...clients: AnnuaireClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.request('ping')));
}

describe('changes_since', () => {
  it('after N changes made elsewhere, gives exactly those, each contact once as it is now, page by page', async () => {
    const { client: writer, token } = await t.user();
    const kept = (await writer.request('add_contact', { nom: 'Avant' })).contact;
    const from = (await writer.request('list_contacts', {})).seq ?? -1;
    expect(from).toBe(1);
    // Not the last id: SQLite gives the highest id again once its contact is deleted.
    const gone = (await writer.request('add_contact', { nom: 'Éphémère' })).contact;
    const a = (await writer.request('add_contact', { nom: 'Ajoutée' })).contact;
    const b = (await writer.request('add_contact', { nom: 'Modifiée' })).contact;
    const b2 = (await writer.request('update_contact', { contact_id: b.id, version: 1, notes: 'une' })).contact;
    const b3 = (await writer.request('update_contact', { contact_id: b2.id, version: 2, notes: 'deux' })).contact;
    await writer.request('delete_contact', { contact_id: gone.id });
    await writer.request('delete_contact', { contact_id: kept.id });
    await writer.request('import_contacts', { format: 'csv', data: 'nom,prenom\r\nImportée,Une\r\nImportée,Deux\r\n' });
    // Another user's writes take nothing of this annuaire's numbering.
    await (await t.user()).client.request('add_contact', { nom: 'Ailleurs' });

    const away = await t.client();
    await away.request('resume_session', { session_token: token });
    const whole = await away.request('changes_since', { seq: from, limit: 500 });
    expect(whole.more).toBe(false);
    expect(whole.seq).toBe(10);
    const imported = [...(await allContacts(away)).values()].filter((c) => c.nom === 'Importée');
    expect(whole.changes).toEqual([
      { kind: 'changed', seq: 3, contact_id: a.id, contact: a },
      { kind: 'changed', seq: 6, contact_id: b.id, contact: b3 },
      { kind: 'deleted', seq: 7, contact_id: gone.id },
      { kind: 'deleted', seq: 8, contact_id: kept.id },
      ...imported.sort((x, y) => x.id - y.id).map((c, i) => ({ kind: 'changed', seq: 9 + i, contact_id: c.id, contact: c })),
    ]);
    // The same in pages of 2, and nothing after the end.
    const paged: ContactChange[] = [];
    for (let seq = from, more = true; more; ) {
      const page = await away.request('changes_since', { seq, limit: 2 });
      paged.push(...page.changes);
      ({ seq, more } = page);
      if (!more) expect(seq).toBe(10);
    }
    expect(paged).toEqual(whole.changes);
    expect(await away.request('changes_since', { seq: 10 })).toEqual({ changes: [], seq: 10, more: false });
  });

  it('answers resync_required for a seq this annuaire never reached (a restored backup)', async () => {
    const { client } = await t.user();
    await client.request('add_contact', { nom: 'Un' });
    expect((await protocolError(client.request('changes_since', { seq: 2 }))).code).toBe('resync_required');
  });

  it('answers resync_required past tombstones trimmed by age, and by count, and not before', async () => {
    const s = await startTestServer({
      journal: { tombstoneMaxAgeMs: 60_000, maxTombstonesPerAnnuaire: 2, trimEveryMs: 20, trimStepRows: 1, pollOthersMs: 1000 },
    });
    try {
      const { client } = await s.user();
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await client.request('add_contact', { nom: `C${i}` })).contact.id);
      for (const id of ids) await client.request('delete_contact', { contact_id: id }); // seqs 6..10
      // Three of five tombstones go (one per step): a client that saw seq 8 still catches up exactly.
      await waitFor(async () => (await codeOf(client.request('changes_since', { seq: 7 }))) === 'resync_required');
      expect(await client.request('changes_since', { seq: 8 })).toEqual({
        changes: [
          { kind: 'deleted', seq: 9, contact_id: ids[3] },
          { kind: 'deleted', seq: 10, contact_id: ids[4] },
        ],
        seq: 10,
        more: false,
      });
      // Live contacts keep their entry whatever the limits: trimming touches tombstones only.
      const kept = (await client.request('add_contact', { nom: 'Reste' })).contact;
      expect((await client.request('changes_since', { seq: 10 })).changes).toEqual([{ kind: 'changed', seq: 11, contact_id: kept.id, contact: kept }]);
    } finally {
      await s.close();
    }
    const aged = await startTestServer({
      journal: { tombstoneMaxAgeMs: 1, maxTombstonesPerAnnuaire: 1000, trimEveryMs: 20, trimStepRows: 10, pollOthersMs: 1000 },
    });
    try {
      const { client } = await aged.user();
      const c = (await client.request('add_contact', { nom: 'Vieux' })).contact;
      await client.request('delete_contact', { contact_id: c.id });
      await waitFor(async () => (await codeOf(client.request('changes_since', { seq: 1 }))) === 'resync_required');
      expect(await client.request('changes_since', { seq: 2 })).toEqual({ changes: [], seq: 2, more: false });
    } finally {
      await aged.close();
    }
  });
});

describe('a write refused or rolled back', () => {
  it('leaves no journal entry and sends no event (quota: one add, and a whole import)', async () => {
    const s = await startTestServer({ quota: { maxContacts: 2, maxBytes: 1 << 30 } });
    try {
      const { client, token } = await s.user();
      const listener = await s.client();
      await listener.request('resume_session', { session_token: token });
      const events: ServerEvent[] = [];
      listener.on('event', (e) => events.push(e));
      await client.request('add_contact', { nom: 'Un' });
      expect((await protocolError(client.request('import_contacts', { format: 'csv', data: 'nom\r\nDeux\r\nTrois\r\n' }))).code).toBe('quota_exceeded');
      await client.request('add_contact', { nom: 'Deux' });
      expect((await protocolError(client.request('add_contact', { nom: 'Trois' }))).code).toBe('quota_exceeded');
      await settle(client, listener);
      expect(events.flatMap((e) => (e.event === 'contacts_changed' ? e.changes.map((c) => c.seq) : []))).toEqual([1, 2]);
      const journal = await client.request('changes_since', { seq: 0 });
      expect(journal.changes.map((c) => (c.kind === 'changed' ? c.contact.nom : c.kind))).toEqual(['Un', 'Deux']);
      expect(journal.seq).toBe(2);
    } finally {
      await s.close();
    }
  });
});

describe('contacts_changed', () => {
  it('reaches every connection of the user, the writer included, each change once and in order', async () => {
    const { client: writer, token } = await t.user();
    const others = [await t.client(), await t.client()];
    for (const o of others) await o.request('resume_session', { session_token: token });
    const seen = new Map<AnnuaireClient, ServerEvent[]>([writer, ...others].map((c) => [c, []]));
    for (const [c, list] of seen) c.on('event', (e) => list.push(e));
    const added = (await writer.request('add_contact', { nom: 'Live' })).contact;
    const updated = (await writer.request('update_contact', { contact_id: added.id, version: 1, prenom: 'Léa' })).contact;
    await writer.request('delete_contact', { contact_id: added.id });
    await settle(writer, ...others);
    for (const list of seen.values()) {
      expect(list).toEqual([
        { event: 'contacts_changed', seq: 1, changes: [{ kind: 'changed', seq: 1, contact_id: added.id, contact: added }] },
        { event: 'contacts_changed', seq: 2, changes: [{ kind: 'changed', seq: 2, contact_id: added.id, contact: updated }] },
        { event: 'contacts_changed', seq: 3, changes: [{ kind: 'deleted', seq: 3, contact_id: added.id }] },
      ]);
    }
  });

  it('pushes an import in events of at most 200 changes, in seq order', async () => {
    const { client: writer, token } = await t.user();
    const listener = await t.client();
    await listener.request('resume_session', { session_token: token });
    const events: ServerEvent[] = [];
    listener.on('event', (e) => events.push(e));
    const rows = Array.from({ length: 450 }, (_, i) => `Import${i},P${i}`).join('\r\n');
    await writer.request('import_contacts', { format: 'csv', data: `nom,prenom\r\n${rows}\r\n` });
    await settle(listener);
    const changes = events.flatMap((e) => (e.event === 'contacts_changed' ? e.changes : []));
    expect(changes.map((c) => c.seq)).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
    expect(events.every((e) => e.event === 'contacts_changed' && e.changes.length <= 200)).toBe(true);
  });

  it('collapses the events of a connection that stops reading into one resync_required, then carries on', async () => {
    const s = await startTestServer({ maxEventBacklogBytes: 64 * 1024, quota: { maxContacts: 100_000, maxBytes: 1 << 30 } });
    try {
      const { client: writer, token } = await s.user();
      const slow = await s.raw();
      await slow.next(); // hello
      slow.write(JSON.stringify({ id: 1, action: 'resume_session', session_token: token }) + '\n');
      expect(await slow.next()).toMatchObject({ id: 1, ok: true });
      slow.socket.pause();
      // About 8 MB of events, far past what the kernel's buffers and the 64 KiB backlog take.
      const notes = 'n'.repeat(10_000);
      const writes = 800;
      for (let i = 0; i < writes; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, k) => writer.request('add_contact', { nom: `Lent${i + k}`, notes })));
      }
      await settle(writer);
      slow.socket.resume();
      // Everything it was sent, until the line goes quiet. When the collapse happens depends on
      // when the kernel's buffers drain the backlog (earlier on Node 24 than on Node 20): the
      // resync_required may come while the writes still go on, and events for later writes after it.
      const got: Record<string, unknown>[] = [];
      for (;;) {
        const line = await slow.next(400).catch(() => undefined);
        if (!line) break;
        got.push(line);
      }
      const firstResync = got.findIndex((l) => l.event === 'resync_required');
      expect(firstResync).toBeGreaterThan(-1);
      const before = got.slice(0, firstResync).filter((l) => l.event === 'contacts_changed') as unknown as { changes: { seq: number }[] }[];
      const seqs = before.flatMap((e) => e.changes.map((c) => c.seq));
      // What was sent before it is a gap-free prefix, and it names a change past that prefix.
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(seqs.length).toBeLessThan(writes);
      const resync = got[firstResync] as { seq: number };
      expect(resync.seq).toBeGreaterThan(seqs.length);
      expect(resync.seq).toBeLessThanOrEqual(writes);
      // Whatever came after it is told in order, and ends at the last write (by an event or another resync).
      const last = got.at(-1) as { event: string; seq: number; changes?: { seq: number }[] };
      expect(last.event === 'resync_required' ? last.seq : last.changes!.at(-1)!.seq).toBe(writes);
      // The connection still works, is told of new changes again, and catches up exactly.
      await writer.request('add_contact', { nom: 'Après' });
      const next = await slow.next();
      expect(next).toMatchObject({ event: 'contacts_changed', seq: writes + 1 });
      expect(slow.pendingLines).toBe(0);
      // Catching up from the last change it saw, page after page.
      const caught: number[] = [];
      for (let from = seqs.length, id = 2; ; id++) {
        slow.write(JSON.stringify({ id, action: 'changes_since', seq: from, limit: 500 }) + '\n');
        const page = (await slow.next()) as { result: { changes: { seq: number }[]; seq: number; more: boolean } };
        caught.push(...page.result.changes.map((c) => c.seq));
        if (!page.result.more) break;
        from = page.result.seq;
      }
      expect(caught).toEqual(Array.from({ length: writes + 1 - seqs.length }, (_, i) => seqs.length + i + 1));
    } finally {
      await s.close();
    }
  }, 60_000);
});

describe('two server processes on one database', () => {
  it('pushes the writes made through the other one, found by polling the journal', async () => {
    const journal = { ...DEFAULT_JOURNAL, pollOthersMs: 20 };
    const first = await startTestServer({ journal });
    const second = await startServer({ port: 0, dataDir: first.dataDir, databaseUrl: first.databaseUrl, journal, diskReserveBytes: 0 });
    try {
      const { client: writer, token } = await first.user();
      const listener = await connect('127.0.0.1', second.port);
      await listener.request('resume_session', { session_token: token });
      const events: ServerEvent[] = [];
      listener.on('event', (e) => events.push(e));
      const a = (await writer.request('add_contact', { nom: 'Ailleurs' })).contact;
      await writer.request('delete_contact', { contact_id: a.id });
      const b = (await writer.request('add_contact', { nom: 'Autre' })).contact;
      await waitFor(async () => events.flatMap((e) => (e.event === 'contacts_changed' ? e.changes : [])).some((c) => c.seq === 3));
      const seen = events.flatMap((e) => (e.event === 'contacts_changed' ? e.changes : []));
      // Each once, in order; between two polls a contact's earlier change may be folded into its last.
      expect(seen.map((c) => c.seq)).toEqual([...new Set(seen.map((c) => c.seq))].sort((x, y) => x - y));
      expect(seen.at(-1)).toEqual({ kind: 'changed', seq: 3, contact_id: b.id, contact: b });
      await listener.close();
    } finally {
      await second.close();
      await first.close();
    }
  });
});

describe('session_ended', () => {
  it('tells each connection why its session ended, and stops its events; never the connection that asked', async () => {
    const { client: main, username, password, token } = await t.user();
    const sameSession = await t.client();
    await sameSession.request('resume_session', { session_token: token });
    const second = await t.client();
    await second.request('login', { username, password });
    const events = new Map<AnnuaireClient, ServerEvent[]>([main, sameSession, second].map((c) => [c, []]));
    for (const [c, list] of events) c.on('event', (e) => list.push(e));

    await main.request('change_password', { old_password: password, new_password: 'nouveau-mdp-42' });
    await settle(main, sameSession, second);
    expect(events.get(second)).toMatchObject([{ event: 'session_ended', reason: 'password_changed' }]);
    expect(events.get(main)).toEqual([]);
    expect(events.get(sameSession)).toEqual([]);
    // The ended session hears no more changes.
    await main.request('add_contact', { nom: 'Après' });
    await settle(main, sameSession);
    expect(events.get(second)).toHaveLength(1);
    expect(events.get(sameSession)!.map((e) => e.event)).toEqual(['contacts_changed']);

    await main.request('logout');
    await settle(main, sameSession);
    expect(events.get(sameSession)!.map((e) => e.event)).toEqual(['contacts_changed', 'session_ended']);
    expect(events.get(sameSession)!.at(-1)).toMatchObject({ reason: 'logged_out_elsewhere' });
    expect(events.get(main)!.map((e) => e.event)).toEqual(['contacts_changed']);
    expect((await protocolError(sameSession.request('whoami'))).code).toBe('not_authenticated');
  });

  it('account_deleted reaches the other sessions; expired is found by the sweep', async () => {
    const s = await startTestServer({ sessionSweepMs: 20, sessions: { idleMs: 60_000, absoluteMs: 400 } });
    try {
      const { client: main, username, password } = await s.user();
      const other = await s.client();
      await other.request('login', { username, password });
      const ended = new Promise<ServerEvent>((resolve) => other.on('event', (e) => e.event === 'session_ended' && resolve(e)));
      const mine: ServerEvent[] = [];
      main.on('event', (e) => mine.push(e));
      await main.request('delete_account', { password });
      expect(await ended).toMatchObject({ reason: 'account_deleted' });
      expect(mine).toEqual([]);

      const { client: later } = await s.user(`${username}bis`);
      const expired = await new Promise<ServerEvent>((resolve) => later.on('event', (e) => e.event === 'session_ended' && resolve(e)));
      expect(expired).toMatchObject({ reason: 'expired' });
      expect((await protocolError(later.request('whoami'))).code).toBe('not_authenticated');
    } finally {
      await s.close();
    }
  });
});

describe('several terminals of one user (property)', () => {
  type Op =
    | { op: 'add'; by: number }
    | { op: 'update'; by: number; pick: number }
    | { op: 'delete'; by: number; pick: number }
    | { op: 'import'; by: number; n: number }
    | { op: 'away'; who: number }
    | { op: 'back'; who: number; burstBy: number; burst: number };
  const TERMINALS = 3;
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('add' as const), by: fc.nat(TERMINALS - 1) }),
    fc.record({ op: fc.constant('update' as const), by: fc.nat(TERMINALS - 1), pick: fc.nat() }),
    fc.record({ op: fc.constant('delete' as const), by: fc.nat(TERMINALS - 1), pick: fc.nat() }),
    fc.record({ op: fc.constant('import' as const), by: fc.nat(TERMINALS - 1), n: fc.integer({ min: 1, max: 12 }) }),
    fc.record({ op: fc.constant('away' as const), who: fc.nat(TERMINALS - 1) }),
    // Coming back while another terminal writes: the catch-up and the writes interleave.
    fc.record({ op: fc.constant('back' as const), who: fc.nat(TERMINALS - 1), burstBy: fc.nat(TERMINALS - 1), burst: fc.nat(6) }),
  );

  it('every terminal ends with the annuaire as it is, having applied every change once, in order, with no gap', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40 }), async (ops) => {
        const { client: admin, token } = await t.user(`prop${++run}x${Date.now() % 100000}`);
        const terms = Array.from({ length: TERMINALS }, () => new Replica(t.port, token));
        const present = new Set<number>();
        for (const [i, r] of terms.entries()) {
          await r.open();
          present.add(i);
        }
        // A writer that is away uses the admin connection instead (writes never stop).
        const writerFor = (by: number) => (present.has(by) ? terms[by]!.client : admin);
        const write = async (c: AnnuaireClient, op: Op) => {
          const ids = [...(await allContacts(admin)).values()];
          const target = 'pick' in op && ids.length > 0 ? ids[op.pick % ids.length] : undefined;
          if (op.op === 'add') await c.request('add_contact', { nom: `N${Math.random().toString(36).slice(2, 7)}` });
          else if (op.op === 'update' && target) {
            await c.request('update_contact', { contact_id: target.id, version: target.version, notes: `v${target.version + 1}` }).catch(() => {});
          } else if (op.op === 'delete' && target) await c.request('delete_contact', { contact_id: target.id }).catch(() => {});
          else if (op.op === 'import') {
            const rows = Array.from({ length: op.n }, (_, k) => `Imp${k}${Math.random().toString(36).slice(2, 6)}`).join('\r\n');
            await c.request('import_contacts', { format: 'csv', data: `nom\r\n${rows}\r\n` });
          }
        };
        for (const op of ops) {
          if (op.op === 'away') {
            if (!present.has(op.who)) continue;
            present.delete(op.who);
            await terms[op.who]!.close();
          } else if (op.op === 'back') {
            if (present.has(op.who)) continue;
            const c = writerFor(op.burstBy);
            await Promise.all([
              terms[op.who]!.open(),
              ...Array.from({ length: op.burst }, () => c.request('add_contact', { nom: 'Rafale' })),
            ]);
            present.add(op.who);
          } else await write(writerFor(op.by), op);
        }
        for (const [i, r] of terms.entries()) if (!present.has(i)) await r.open();
        await settle(admin, ...terms.map((r) => r.client));
        const truth = await allContacts(admin);
        const { seq: head } = await admin.request('list_contacts', { limit: 1 });
        for (const r of terms) {
          expect(r.problems).toEqual([]);
          expect(r.seq).toBe(head);
          expect(r.contacts).toEqual(truth);
          // Events applied are strictly increasing: never twice, never out of order.
          expect(r.applied.every((s, i) => i === 0 || s > r.applied[i - 1]!)).toBe(true);
          await r.close();
        }
      }),
      { numRuns: 25, seed: 1313 },
    );
  }, 120_000);
});

function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? 'error',
  );
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
