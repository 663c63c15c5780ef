import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/store/backend';
import { DEFAULT_JOURNAL, type JournalPolicy } from '../../src/store/rows';
import { BACKENDS, suiteName, type TestStore } from './backends';
import { at, contact, describeBackends, newUser, record } from './context';

describeBackends('the change journal', (ctx) => {
  it('gives each changed contact once, at its last change, with its current row', async () => {
    const { contacts, journal } = ctx.backend;
    const user = await newUser(ctx.backend);
    const [a, b, c] = await contacts.insert(user.annuaire_id, [contact('A'), contact('B'), contact('C')], at(0)); // seqs 1-3
    const a2 = await contacts.update(user.annuaire_id, a!.id, 1, record('A', 'deux'), at(1)); // 4
    await contacts.delete(user.annuaire_id, b!.id, at(2)); // 5

    const page = await journal.since(user.annuaire_id, 0, 100);
    expect(page.head).toEqual({ seq: 5, floor: 0 });
    expect(page.entries).toEqual([
      { seq: 3, contactId: c!.id, deleted: false },
      { seq: 4, contactId: a!.id, deleted: false },
      { seq: 5, contactId: b!.id, deleted: true },
    ]);
    expect(page.rows).toEqual(new Map([[c!.id, c], [a!.id, a2]]));

    const after4 = await journal.since(user.annuaire_id, 4, 100);
    expect(after4.entries).toEqual([{ seq: 5, contactId: b!.id, deleted: true }]);
    expect(after4.rows).toEqual(new Map());
    const limited = await journal.since(user.annuaire_id, 0, 2);
    expect(limited.entries.map((e) => e.seq)).toEqual([3, 4]);
    expect(limited.head.seq).toBe(5);
    expect(await journal.since(user.annuaire_id, 5, 100)).toEqual({ head: { seq: 5, floor: 0 }, entries: [], rows: new Map() });
    expect(await journal.head(user.annuaire_id)).toEqual({ seq: 5, floor: 0 });
  });

  it('gives the heads of many annuaires at once, leaving out the unknown', async () => {
    const one = await newUser(ctx.backend);
    const two = await newUser(ctx.backend);
    await ctx.backend.contacts.insert(one.annuaire_id, [contact('X'), contact('Y')], at(0));
    const heads = await ctx.backend.journal.heads([one.annuaire_id, two.annuaire_id, 987_654_321]);
    expect(heads).toEqual(new Map([[one.annuaire_id, 2], [two.annuaire_id, 0]]));
    expect(await ctx.backend.journal.heads([])).toEqual(new Map());
    expect(await ctx.backend.journal.head(987_654_321)).toEqual({ seq: 0, floor: 0 });
  });
});

const DAY = 24 * 3600_000;
const policy = (p: Partial<JournalPolicy>): JournalPolicy => ({ ...DEFAULT_JOURNAL, ...p });

// Trimming reaches every annuaire of the store: each test has a store of its own.
for (const factory of BACKENDS) {
  describe.skipIf(factory.unavailable !== undefined)(`trimming the journal [${suiteName(factory)}]`, () => {
    let store: TestStore;
    let backend: Backend;
    beforeEach(async () => {
      store = await factory.create();
      backend = await store.open();
    });
    afterEach(() => store.drop());

    /** An annuaire with `n` contacts deleted on days 0..n-1 and one contact kept, changed on day 0. */
    async function withTombstones(n: number) {
      const user = await newUser(backend);
      const rows = await backend.contacts.insert(user.annuaire_id, Array.from({ length: n + 1 }, (_, i) => contact(`C${i}`)), at(0));
      const [kept, ...doomed] = rows;
      for (const [day, row] of doomed.entries()) await backend.contacts.delete(user.annuaire_id, row.id, at(day * DAY));
      return { user, kept: kept!, doomed };
    }

    it('trims tombstones past their age, in steps, and raises the floor to the last seq trimmed', async () => {
      const { user, kept } = await withTombstones(5); // tombstones at seqs 7..11, days 0..4
      const now = Date.parse(at(0)) + 3 * DAY + 1000; // the tombstones of days 0, 1 and 2 are over a day old, day 3’s not
      const ageing = policy({ tombstoneMaxAgeMs: DAY, trimStepRows: 2 });
      expect(await backend.journal.trimStep(ageing, now)).toBe(2);
      expect(await backend.journal.head(user.annuaire_id)).toEqual({ seq: 11, floor: 8 });
      expect(await backend.journal.trimStep(ageing, now)).toBe(1);
      expect(await backend.journal.trimStep(ageing, now)).toBe(0);
      const page = await backend.journal.since(user.annuaire_id, 0, 100);
      expect(page.head).toEqual({ seq: 11, floor: 9 });
      expect(page.entries).toEqual([
        { seq: 1, contactId: kept.id, deleted: false },
        { seq: 10, contactId: expect.any(Number), deleted: true },
        { seq: 11, contactId: expect.any(Number), deleted: true },
      ]);
    });

    it('trims an annuaire’s oldest tombstones past its count, and leaves other annuaires alone', async () => {
      const crowded = await withTombstones(5); // tombstones at seqs 7..11
      const calm = await withTombstones(2);
      const counting = policy({ maxTombstonesPerAnnuaire: 2, trimStepRows: 2 });
      const now = Date.parse(at(0)) + 10 * DAY;
      expect(await backend.journal.trimStep(counting, now)).toBe(2);
      expect(await backend.journal.trimStep(counting, now)).toBe(1);
      expect(await backend.journal.trimStep(counting, now)).toBe(0);
      expect(await backend.journal.head(crowded.user.annuaire_id)).toEqual({ seq: 11, floor: 9 });
      const page = await backend.journal.since(crowded.user.annuaire_id, 0, 100);
      expect(page.entries.filter((e) => e.deleted).map((e) => e.seq)).toEqual([10, 11]);
      expect(await backend.journal.head(calm.user.annuaire_id)).toEqual({ seq: 5, floor: 0 });
      // The tombstone count follows: nothing more to trim once under the limit, and new deletions count.
      await backend.contacts.delete(crowded.user.annuaire_id, crowded.kept.id, at(20 * DAY));
      expect(await backend.journal.trimStep(counting, now)).toBe(1);
      expect(await backend.journal.head(crowded.user.annuaire_id)).toEqual({ seq: 12, floor: 10 });
    });
  });
}
