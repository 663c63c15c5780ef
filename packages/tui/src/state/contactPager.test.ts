import { describe, expect, it } from 'vitest';
import type { Contact } from '@annuaire/protocol';
import { ContactPager, PAGE_MAX, type Page } from './contactPager';

const contact = (i: number): Contact => ({
  id: i + 1,
  nom: `Nom${String(i).padStart(6, '0')}`,
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
});

/** A list of `total` rows whose pages answer only when the test says so. */
function controlledSource(total: number) {
  const calls: { cursor: string | null; offset: number; limit: number; resolve: () => void }[] = [];
  const fetch = (at: { cursor: string | null; offset: number; limit: number }) =>
    new Promise<Page>((resolve) => {
      const start = at.cursor ? Number(at.cursor) : 0;
      const end = Math.min(total, start + at.limit);
      calls.push({ ...at, resolve: () => resolve({ contacts: Array.from({ length: end - start }, (_, k) => contact(start + k)), total, next: end < total ? String(end) : null }) });
    });
  return { calls, fetch };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ContactPager', () => {
  it('loads only as far as asked, one page at a time', async () => {
    const src = controlledSource(100_000);
    const pager = new ContactPager(src.fetch);
    pager.want(40);
    pager.want(60);
    expect(src.calls).toHaveLength(1); // never two requests at once
    src.calls[0]!.resolve();
    await tick();
    expect(pager.total).toBe(100_000);
    expect(pager.rows.length).toBeGreaterThan(60);
    expect(pager.rows.length).toBeLessThanOrEqual(PAGE_MAX);
    expect(src.calls).toHaveLength(1); // enough rows: nothing more fetched
  });

  it('walks to a far row with large pages, passing the cursor along', async () => {
    const src = controlledSource(3_000);
    const pager = new ContactPager(src.fetch);
    pager.want(2_999);
    for (let i = 0; i < 10 && !pager.done; i++) {
      src.calls[i]!.resolve();
      await tick();
    }
    expect(pager.done).toBe(true);
    expect(pager.rows).toHaveLength(3_000);
    expect(src.calls.every((c) => c.limit === PAGE_MAX)).toBe(true);
    expect(src.calls[1]!.cursor).toBe(String(PAGE_MAX));
    expect(pager.rows[2_999]!.nom).toBe('Nom002999');
  });

  it('ignores answers that arrive after it was disposed (a newer query superseded it)', async () => {
    const src = controlledSource(10);
    const old = new ContactPager(src.fetch);
    let changes = 0;
    old.on('change', () => changes++);
    old.want(5);
    const before = changes;
    old.dispose();
    src.calls[0]!.resolve();
    await tick();
    expect(old.rows).toHaveLength(0);
    expect(changes).toBe(before);
  });

  it('stops on an error and loads the same page again on retry', async () => {
    let fail = true;
    const pager = new ContactPager(async () => {
      if (fail) throw new Error('link down');
      return { contacts: [contact(0)], total: 1, next: null };
    });
    pager.want(0);
    await tick();
    expect(pager.error).toBeInstanceOf(Error);
    fail = false;
    pager.retry();
    await tick();
    expect(pager.error).toBeNull();
    expect(pager.rows).toHaveLength(1);
  });
});
