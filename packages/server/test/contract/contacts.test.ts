import { expect, it } from 'vitest';
import type { UsageGuard } from '../../src/store/backend';
import { SORT_KEYS, sortKeyOf, type AnnuaireUsage, type CommittedChange, type ContactRow, type SortOrder } from '../../src/store/rows';
import { at, contact, contactBytes, describeBackends, newUser, record } from './context';

/** SQLite's order of text keys: their UTF-8 bytes, compared one by one. */
function byKeys(order: SortOrder) {
  return (a: ContactRow, b: ContactRow): number => {
    for (const k of SORT_KEYS[order]) {
      const x = a[k as keyof ContactRow];
      const y = b[k as keyof ContactRow];
      const c = typeof x === 'number' ? x - (y as number) : Buffer.compare(Buffer.from(x), Buffer.from(y as string));
      if (c !== 0) return c;
    }
    return 0;
  };
}

class QuotaExceeded extends Error {}

describeBackends('contacts', (ctx) => {
  it('inserts a batch in order, each at version 1 with its times', async () => {
    const user = await newUser(ctx.backend);
    const rows = await ctx.backend.contacts.insert(user.annuaire_id, [contact('Martin', 'Léa'), contact('Durand'), contact('Ødegaard', 'Ås')], at(5));
    expect(rows.map((r) => [r.nom, r.prenom, r.version, r.created_at, r.updated_at])).toEqual([
      ['Martin', 'Léa', 1, at(5), at(5)],
      ['Durand', '', 1, at(5), at(5)],
      ['Ødegaard', 'Ås', 1, at(5), at(5)],
    ]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
    for (const row of rows) expect(await ctx.backend.contacts.get(user.annuaire_id, row.id)).toEqual(row);
    expect(await ctx.backend.contacts.count(user.annuaire_id)).toBe(3);
    expect(await ctx.backend.contacts.insert(user.annuaire_id, [], at(6))).toEqual([]);
  });

  it('keeps each annuaire’s contacts to itself', async () => {
    const owner = await newUser(ctx.backend);
    const stranger = await newUser(ctx.backend);
    const [row] = await ctx.backend.contacts.insert(owner.annuaire_id, [contact('Privé')], at(0));
    expect(await ctx.backend.contacts.get(stranger.annuaire_id, row!.id)).toBeUndefined();
    expect(await ctx.backend.contacts.getMany(stranger.annuaire_id, [row!.id])).toEqual([]);
    expect(await ctx.backend.contacts.update(stranger.annuaire_id, row!.id, 1, record('Volé'), at(1))).toBeUndefined();
    expect(await ctx.backend.contacts.delete(stranger.annuaire_id, row!.id, at(1))).toBe(false);
    expect(await ctx.backend.contacts.get(owner.annuaire_id, row!.id)).toEqual(row);
  });

  it('updates only at the expected version', async () => {
    const user = await newUser(ctx.backend);
    const [row] = await ctx.backend.contacts.insert(user.annuaire_id, [contact('Avant', 'A', { emails: ['a@x.fr'] })], at(0));
    const updated = await ctx.backend.contacts.update(user.annuaire_id, row!.id, 1, record('Après', 'B'), at(10));
    expect(updated).toEqual({ ...row, nom: 'Après', prenom: 'B', nom_key: 'après', prenom_key: 'b', data: '{}', version: 2, updated_at: at(10) });
    expect(await ctx.backend.contacts.update(user.annuaire_id, row!.id, 1, record('Perdu'), at(20))).toBeUndefined();
    expect(await ctx.backend.contacts.get(user.annuaire_id, row!.id)).toEqual(updated);
    expect(await ctx.backend.contacts.update(user.annuaire_id, row!.id + 1_000_000, 1, record('Nul'), at(20))).toBeUndefined();
  });

  it('deletes a contact once', async () => {
    const user = await newUser(ctx.backend);
    const [row] = await ctx.backend.contacts.insert(user.annuaire_id, [contact('Parti')], at(0));
    expect(await ctx.backend.contacts.delete(user.annuaire_id, row!.id, at(1))).toBe(true);
    expect(await ctx.backend.contacts.get(user.annuaire_id, row!.id)).toBeUndefined();
    expect(await ctx.backend.contacts.delete(user.annuaire_id, row!.id, at(2))).toBe(false);
    expect(await ctx.backend.contacts.count(user.annuaire_id)).toBe(0);
  });

  it('lists in every order, byte by byte, and resumes after any keyset position', async () => {
    const user = await newUser(ctx.backend);
    const names: [string, string][] = [
      ['Zola', 'Émile'], ['Élise', 'Anne'], ['Martin', 'Léa'], ['Martin', 'Léa'], ['Martin', 'Ana'],
      ['martin', 'Zoé'], ['Ødegaard', 'Ås'], ['李', '小龍'], ['Abel', ''], ['😀', 'Emoji'],
    ];
    // One at a time, at increasing times: created_at and updated_at orders differ from id order after the updates.
    const rows: ContactRow[] = [];
    for (const [i, [nom, prenom]] of names.entries()) {
      rows.push(...(await ctx.backend.contacts.insert(user.annuaire_id, [contact(nom, prenom)], at(1000 - i))));
    }
    rows[3] = (await ctx.backend.contacts.update(user.annuaire_id, rows[3]!.id, 1, record('Martin', 'Léa', { n: 1 }), at(5000)))!;
    rows[0] = (await ctx.backend.contacts.update(user.annuaire_id, rows[0]!.id, 1, record('Zola', 'Émile', { n: 2 }), at(4000)))!;

    for (const order of Object.keys(SORT_KEYS) as SortOrder[]) {
      const expected = [...rows].sort(byKeys(order));
      expect(await ctx.backend.contacts.list(user.annuaire_id, order, 100)).toEqual(expected);
      const paged: ContactRow[] = [];
      let page = await ctx.backend.contacts.list(user.annuaire_id, order, 3);
      while (page.length > 0) {
        paged.push(...page);
        page = await ctx.backend.contacts.list(user.annuaire_id, order, 3, sortKeyOf(page.at(-1)!, order));
      }
      expect(paged, order).toEqual(expected);
      expect(await ctx.backend.contacts.listPage(user.annuaire_id, 4, 3, order), order).toEqual(expected.slice(3, 7));
    }
    expect(await ctx.backend.contacts.listPage(user.annuaire_id, 2, 0)).toEqual([...rows].sort(byKeys('nom')).slice(0, 2));
  });

  it('finds by exact name keys, and every contact of a nom by prénom', async () => {
    const user = await newUser(ctx.backend);
    const rows = await ctx.backend.contacts.insert(
      user.annuaire_id,
      [contact('Martin', 'Léa'), contact('Martin', 'Ana'), contact('Martin', 'Léa'), contact('Martine', 'Léa')],
      at(0),
    );
    expect(await ctx.backend.contacts.findByName(user.annuaire_id, 'martin', 'léa')).toEqual([rows[0], rows[2]]);
    expect(await ctx.backend.contacts.findByName(user.annuaire_id, 'martin', '')).toEqual([rows[1], rows[0], rows[2]]);
    expect(await ctx.backend.contacts.findByName(user.annuaire_id, 'mart', '')).toEqual([]);
  });

  it('gets many rows in the order asked, skipping the absent and the foreign', async () => {
    const user = await newUser(ctx.backend);
    const other = await newUser(ctx.backend);
    const [a, b, c] = await ctx.backend.contacts.insert(user.annuaire_id, [contact('A'), contact('B'), contact('C')], at(0));
    const [foreign] = await ctx.backend.contacts.insert(other.annuaire_id, [contact('F')], at(0));
    expect(await ctx.backend.contacts.getMany(user.annuaire_id, [c!.id, foreign!.id, a!.id, 999_999_999, b!.id])).toEqual([c, a, b]);
    expect(await ctx.backend.contacts.getMany(user.annuaire_id, [])).toEqual([]);
  });

  it('counts usage in UTF-8 bytes, imported sources included, through inserts, updates and deletes', async () => {
    const user = await newUser(ctx.backend);
    const léa = record('Martin', 'Léa', { emails: ['léa@exemple.fr'] });
    const source = { format: 'vcard', text: 'BEGIN:VCARD\nFN:Léa Martin\nEND:VCARD' };
    const [row, plain] = await ctx.backend.contacts.insert(user.annuaire_id, [{ record: léa, source }, contact('李')], at(0));
    const plainBytes = contactBytes(record('李'));
    expect(await ctx.backend.contacts.usage(user.annuaire_id)).toEqual({
      contacts: 2,
      bytes: contactBytes(léa) + Buffer.byteLength(source.text) + plainBytes,
    });
    expect(await ctx.backend.contacts.sources('vcard', [row!.id, plain!.id])).toEqual(new Map([[row!.id, source.text]]));
    expect(await ctx.backend.contacts.sources('extras', [row!.id])).toEqual(new Map());

    const renamed = record('Martin-Dupont', 'Léa');
    await ctx.backend.contacts.update(user.annuaire_id, row!.id, 1, renamed, at(1));
    expect(await ctx.backend.contacts.usage(user.annuaire_id)).toEqual({
      contacts: 2,
      bytes: contactBytes(renamed) + Buffer.byteLength(source.text) + plainBytes,
    });

    await ctx.backend.contacts.delete(user.annuaire_id, row!.id, at(2));
    expect(await ctx.backend.contacts.usage(user.annuaire_id)).toEqual({ contacts: 1, bytes: plainBytes });
    expect(await ctx.backend.contacts.sources('vcard', [row!.id])).toEqual(new Map());
  });

  it('gives the widest e-mail and phone lists, at least 1', async () => {
    const user = await newUser(ctx.backend);
    expect(await ctx.backend.contacts.widestLists(user.annuaire_id)).toEqual({ emails: 1, phones: 1 });
    await ctx.backend.contacts.insert(
      user.annuaire_id,
      [contact('A', '', { emails: ['a', 'b', 'c'] }), contact('B', '', { telephones: ['1', '2'], emails: [] }), contact('C')],
      at(0),
    );
    expect(await ctx.backend.contacts.widestLists(user.annuaire_id)).toEqual({ emails: 3, phones: 2 });
  });

  it('hands the guard the usage before and after the write', async () => {
    const user = await newUser(ctx.backend);
    const seen: [AnnuaireUsage, AnnuaireUsage][] = [];
    const guard: UsageGuard = (after, before) => seen.push([after, before]);
    const r = record('Garde');
    const [row] = await ctx.backend.contacts.insert(user.annuaire_id, [{ record: r }], at(0), guard);
    const bigger = record('Garde', 'Très longtemps');
    await ctx.backend.contacts.update(user.annuaire_id, row!.id, 1, bigger, at(1), guard);
    expect(seen).toEqual([
      [{ contacts: 1, bytes: contactBytes(r) }, { contacts: 0, bytes: 0 }],
      [{ contacts: 1, bytes: contactBytes(bigger) }, { contacts: 1, bytes: contactBytes(r) }],
    ]);
  });

  it('rolls a write back whole when the guard throws: no row, no source, no journal entry, no event', async () => {
    const user = await newUser(ctx.backend);
    const [kept] = await ctx.backend.contacts.insert(user.annuaire_id, [contact('Gardé')], at(0));
    const usage = await ctx.backend.contacts.usage(user.annuaire_id);
    const head = await ctx.backend.journal.head(user.annuaire_id);
    const events: CommittedChange[][] = [];
    ctx.backend.onCommit((changes) => events.push(changes.filter((c) => c.annuaireId === user.annuaire_id)));
    const refusal = new QuotaExceeded('over quota');
    const refuse: UsageGuard = () => {
      throw refusal;
    };

    await expect(
      ctx.backend.contacts.insert(
        user.annuaire_id,
        [contact('Trop'), { record: record('Trop', 'Aussi'), source: { format: 'vcard', text: 'BEGIN:VCARD' } }],
        at(1),
        refuse,
      ),
    ).rejects.toBe(refusal);
    await expect(ctx.backend.contacts.update(user.annuaire_id, kept!.id, 1, record('Grossi'), at(2), refuse)).rejects.toBe(refusal);

    expect(await ctx.backend.contacts.list(user.annuaire_id, 'nom', 10)).toEqual([kept]);
    expect(await ctx.backend.contacts.usage(user.annuaire_id)).toEqual(usage);
    expect(await ctx.backend.journal.head(user.annuaire_id)).toEqual(head);
    expect((await ctx.backend.journal.since(user.annuaire_id, 0, 10)).entries).toEqual([{ seq: 1, contactId: kept!.id, deleted: false }]);
    expect(events.filter((e) => e.length > 0)).toEqual([]);
    // A write after the refusal takes the next seq: nothing was consumed by the rolled-back ones.
    await ctx.backend.contacts.insert(user.annuaire_id, [contact('Ensuite')], at(3));
    expect((await ctx.backend.journal.head(user.annuaire_id)).seq).toBe(2);
  });

  it('gives concurrent writers of one annuaire distinct, gapless seqs', async () => {
    const user = await newUser(ctx.backend);
    const rows = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ctx.backend.contacts.insert(user.annuaire_id, [contact(`Parallèle ${i}`)], at(i))),
    );
    const page = await ctx.backend.journal.since(user.annuaire_id, 0, 100);
    expect(page.head.seq).toBe(20);
    expect(page.entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(page.entries.map((e) => e.contactId))).toEqual(new Set(rows.flat().map((r) => r.id)));
    expect(await ctx.backend.contacts.usage(user.annuaire_id)).toMatchObject({ contacts: 20 });
  });
});
