import { describe, expect, it } from 'vitest';
import { compareByNom, type Contact } from '@annuaire/protocol';
import { contactOf } from '../../test/helpers';
import { ContactPager, locateInList, MAX_PAGES, PAGE_SIZE, type Page } from './contactPager';

const contact = (i: number): Contact => contactOf(i + 1, `Nom${String(i).padStart(6, '0')}`);

/** A list of `total` rows whose pages answer only when the test says so. */
function controlledSource(total: number) {
  const calls: { offset: number; limit: number; resolve: () => void }[] = [];
  const fetch = (at: { offset: number; limit: number }) =>
    new Promise<Page>((resolve) => {
      const end = Math.min(total, at.offset + at.limit);
      calls.push({ ...at, resolve: () => resolve({ contacts: Array.from({ length: Math.max(0, end - at.offset) }, (_, k) => contact(at.offset + k)), total }) });
    });
  return { calls, fetch };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ContactPager', () => {
  it('remembers that a search total is only a lower bound (« plus de 10 000 »)', async () => {
    const pager = new ContactPager(async ({ offset, limit }) => ({
      contacts: Array.from({ length: limit }, (_, k) => contact(offset + k)),
      total: 10_000,
      total_is_lower_bound: true,
    }));
    expect(pager.totalIsLowerBound).toBe(false);
    pager.want(0, 10);
    await tick();
    expect(pager.total).toBe(10_000);
    expect(pager.totalIsLowerBound).toBe(true);
  });

  it('loads only the pages the view needs, one request at a time', async () => {
    const src = controlledSource(100_000);
    const pager = new ContactPager(src.fetch);
    pager.want(0, 60);
    pager.want(0, 80);
    expect(src.calls).toHaveLength(1); // never two requests at once
    src.calls[0]!.resolve();
    await tick();
    expect(pager.total).toBe(100_000);
    expect(pager.row(80)?.nom).toBe('Nom000080');
    expect(src.calls).toHaveLength(1); // enough rows: nothing more fetched
  });

  it('jumps to the end of 100,000 rows with one request at that offset, not a walk from the start', async () => {
    const src = controlledSource(100_000);
    const pager = new ContactPager(src.fetch);
    pager.want(0, 40);
    src.calls[0]!.resolve();
    await tick();
    pager.want(99_999 - 40, 99_999 + 80);
    src.calls[1]!.resolve();
    await tick();
    expect(src.calls.map((c) => c.offset)).toEqual([0, Math.floor((99_999 - 40) / PAGE_SIZE) * PAGE_SIZE]);
    expect(pager.row(99_999)?.nom).toBe('Nom099999');
    expect(pager.row(99_000)).toBeUndefined();
  });

  it('keeps at most MAX_PAGES pages, dropping those farthest from the view', async () => {
    const src = controlledSource(1_000_000);
    const pager = new ContactPager(src.fetch);
    for (let p = 0; p < MAX_PAGES + 5; p++) {
      pager.want(p * PAGE_SIZE, p * PAGE_SIZE + 10);
      src.calls[p]!.resolve();
      await tick();
    }
    expect(pager.heldRows).toBe(MAX_PAGES * PAGE_SIZE);
    expect(pager.row(0)).toBeUndefined();
    expect(pager.row((MAX_PAGES + 4) * PAGE_SIZE)?.id).toBe((MAX_PAGES + 4) * PAGE_SIZE + 1);
  });

  it('caps the rows a source can reach', async () => {
    const src = controlledSource(300_000);
    const pager = new ContactPager(src.fetch, 100_000);
    pager.want(0, 10);
    src.calls[0]!.resolve();
    await tick();
    expect(pager.total).toBe(100_000);
  });

  it('ignores answers that arrive after it was disposed (a newer query superseded it)', async () => {
    const src = controlledSource(10);
    const old = new ContactPager(src.fetch);
    let changes = 0;
    old.on('change', () => changes++);
    old.want(0, 5);
    const before = changes;
    old.dispose();
    src.calls[0]!.resolve();
    await tick();
    expect(old.row(0)).toBeUndefined();
    expect(changes).toBe(before);
  });

  it('stops on an error and loads the same page again on retry', async () => {
    let fail = true;
    const pager = new ContactPager(async () => {
      if (fail) throw new Error('link down');
      return { contacts: [contact(0)], total: 1 };
    });
    pager.want(0, 0);
    await tick();
    expect(pager.error).toBeInstanceOf(Error);
    fail = false;
    pager.retry();
    await tick();
    expect(pager.error).toBeNull();
    expect(pager.row(0)?.id).toBe(1);
  });
});

describe('locateInList', () => {
  const people = (names: [string, string][]) => names.map(([nom, prenom], i) => ({ ...contact(i), nom, prenom })).sort(compareByNom);

  it('finds a contact by binary search in the list sorted as the server sorts it (folded, then id)', async () => {
    const list = people([
      ['Zola', 'Émile'],
      ['Œdipe', 'Roi'],
      ['Dupré', 'Hélène'],
      ['dupont', 'Jean'],
      ['Ébert', 'Anne'],
      ['Martin', 'Zoé'],
      ['Martin', 'Alice'],
      ['Martin', 'alice'],
    ]);
    expect(list.map((c) => c.nom)).toEqual(['dupont', 'Dupré', 'Ébert', 'Martin', 'Martin', 'Martin', 'Œdipe', 'Zola']);
    let requests = 0;
    const rowAt = async (i: number) => (requests++, list[i]);
    for (const [i, c] of list.entries()) expect(await locateInList(c, list.length, rowAt)).toBe(i);
    requests = 0;
    await locateInList(list[5]!, list.length, rowAt);
    expect(requests).toBeLessThanOrEqual(5); // log2(8) + 1 to check
  });

  it('answers null when the row found is not that contact', async () => {
    const list = people([['Abel', 'Jean'], ['Zola', 'Émile']]);
    expect(await locateInList({ id: 99, nom: 'Martin', prenom: '' }, list.length, async (i) => list[i])).toBeNull();
  });
});
