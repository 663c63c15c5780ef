import { expect, it, vi } from 'vitest';
import type { CommittedChange } from '../../src/store/rows';
import { at, contact, describeBackends, newUser, record } from './context';

describeBackends('the change feed', (ctx) => {
  it('tells onCommit of each committed write, once committed, with the rows as written', async () => {
    const user = await newUser(ctx.backend);
    const told: CommittedChange[][] = [];
    // What another connection sees when told: the write must be committed by then.
    const seenWhenTold: Promise<unknown>[] = [];
    ctx.backend.onCommit((changes) => {
      const mine = changes.filter((c) => c.annuaireId === user.annuaire_id);
      if (mine.length === 0) return;
      told.push(mine);
      seenWhenTold.push(ctx.backend.journal.head(user.annuaire_id).then((h) => h.seq));
    });

    const [a, b] = await ctx.backend.contacts.insert(user.annuaire_id, [contact('A'), contact('B')], at(0));
    const a2 = await ctx.backend.contacts.update(user.annuaire_id, a!.id, 1, record('A2'), at(1));
    await ctx.backend.contacts.update(user.annuaire_id, a!.id, 1, record('conflict'), at(2));
    await ctx.backend.contacts.delete(user.annuaire_id, b!.id, at(3));
    await ctx.backend.contacts.delete(user.annuaire_id, b!.id, at(4));

    const annuaireId = user.annuaire_id;
    expect(told).toEqual([
      [
        { annuaireId, seq: 1, contactId: a!.id, row: a },
        { annuaireId, seq: 2, contactId: b!.id, row: b },
      ],
      [{ annuaireId, seq: 3, contactId: a!.id, row: a2 }],
      [{ annuaireId, seq: 4, contactId: b!.id, row: null }],
    ]);
    expect(await Promise.all(seenWhenTold)).toEqual([2, 3, 4]);
  });

  it('tells another backend on the same store of the writes, not the writer itself', async (test) => {
    if (!ctx.factory.announcesOtherWrites) test.skip(`${ctx.factory.name} has no announcements: the change feed polls the journal`);
    const other = await ctx.store.open();
    const heardByOther: [number, number][] = [];
    const heardBySelf: [number, number][] = [];
    other.onOtherWrites((annuaireId, seq) => heardByOther.push([annuaireId, seq]));
    ctx.backend.onOtherWrites((annuaireId, seq) => heardBySelf.push([annuaireId, seq]));
    const user = await newUser(ctx.backend);

    await ctx.backend.contacts.insert(user.annuaire_id, [contact('A'), contact('B')], at(0));
    await vi.waitFor(() => expect(heardByOther).toContainEqual([user.annuaire_id, 2]));
    const [row] = await other.contacts.insert(user.annuaire_id, [contact('C')], at(1));
    await vi.waitFor(() => expect(heardBySelf).toEqual([[user.annuaire_id, 3]]));
    // A write rolled back is never announced; the next one is.
    await expect(
      ctx.backend.contacts.insert(user.annuaire_id, [contact('D')], at(2), () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await ctx.backend.contacts.delete(user.annuaire_id, row!.id, at(3));
    await vi.waitFor(() => expect(heardByOther.filter(([a]) => a === user.annuaire_id)).toEqual([[user.annuaire_id, 2], [user.annuaire_id, 4]]));
    expect(heardBySelf).toEqual([[user.annuaire_id, 3]]);
  });

  it('tells another backend on the same store of sessions revoked, not the one that revoked them', async (test) => {
    if (!ctx.factory.announcesOtherWrites) test.skip(`${ctx.factory.name} has no announcements: the session sweep finds revocations`);
    const other = await ctx.store.open();
    const heardByOther: unknown[] = [];
    const heardBySelf: unknown[] = [];
    other.onOtherRevocations((revoked) => heardByOther.push(revoked));
    ctx.backend.onOtherRevocations((revoked) => heardBySelf.push(revoked));
    const user = await newUser(ctx.backend);

    await ctx.backend.announceRevocation({ userId: user.id, reason: 'logged_out_elsewhere', sessionId: 7 });
    await ctx.backend.announceRevocation({ userId: user.id, reason: 'password_changed', keepSessionId: 8 });
    await ctx.backend.announceRevocation({ userId: user.id, reason: 'account_deleted', keepSessionId: null });
    await vi.waitFor(() =>
      expect(heardByOther).toEqual([
        { userId: user.id, reason: 'logged_out_elsewhere', sessionId: 7 },
        { userId: user.id, reason: 'password_changed', keepSessionId: 8 },
        { userId: user.id, reason: 'account_deleted', keepSessionId: null },
      ]),
    );
    await other.announceRevocation({ userId: user.id, reason: 'logged_out_elsewhere', sessionId: 9 });
    await vi.waitFor(() => expect(heardBySelf).toEqual([{ userId: user.id, reason: 'logged_out_elsewhere', sessionId: 9 }]));
    expect(heardByOther).toHaveLength(3);
  });
});
