import { describe, expect, it } from 'vitest';
import type { Contact } from '@annuaire/protocol';
import { contactOf } from '../../test/helpers';
import { ContactPager, PAGE_SIZE, type Page } from './contactPager';

const contact = (id: number, nom: string, version = 1): Contact => contactOf(id, nom, { version });

/** A source over `rows` (changed by the test meanwhile) that answers only when released. */
function source(rows: Contact[]) {
  const pending: (() => void)[] = [];
  const fetch = (at: { offset: number; limit: number }) =>
    new Promise<Page>((resolve) => {
      // What the server held when asked: an answer on its way may be older than the list.
      const page = { contacts: rows.slice(at.offset, at.offset + at.limit), total: rows.length };
      pending.push(() => resolve(page));
    });
  const releaseAll = async () => {
    while (pending.length > 0) {
      pending.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { fetch, pending, releaseAll };
}

describe('ContactPager, live', () => {
  it('shows a changed contact in place when its place cannot move; asks for a refresh otherwise', async () => {
    const rows = [contact(1, 'Abel'), contact(2, 'Dupré')];
    const s = source(rows);
    const pager = new ContactPager(s.fetch);
    pager.want(0, 10);
    await s.releaseAll();
    const email = { ...contact(2, 'Dupré', 2), email: 'd@example.org' };
    expect(pager.patch([{ kind: 'changed', seq: 3, contact_id: 2, contact: email }], false)).toBe(true);
    expect(pager.row(1)).toEqual(email);
    // Renamed (may move), deleted, unknown, or in a filtered list: the rows must be loaded again.
    expect(pager.patch([{ kind: 'changed', seq: 4, contact_id: 2, contact: contact(2, 'Zorro', 3) }], false)).toBe(false);
    expect(pager.patch([{ kind: 'deleted', seq: 5, contact_id: 1 }], false)).toBe(false);
    expect(pager.patch([{ kind: 'changed', seq: 6, contact_id: 9, contact: contact(9, 'Neuf') }], false)).toBe(false);
    expect(pager.patch([{ kind: 'changed', seq: 7, contact_id: 1, contact: contact(1, 'Abel', 2) }], true)).toBe(false);
    expect(pager.row(0)?.version).toBe(2);
  });

  it('refresh keeps the rows shown until their page comes back, and loads again an answer asked before it', async () => {
    const rows = Array.from({ length: PAGE_SIZE + 5 }, (_, i) => contact(i + 1, `N${String(i).padStart(4, '0')}`));
    const s = source(rows);
    const pager = new ContactPager(s.fetch);
    let refreshed = 0;
    pager.on('refreshed', () => refreshed++);
    pager.want(0, 10);
    await s.releaseAll();
    expect(pager.total).toBe(PAGE_SIZE + 5);
    // Asked, then the list changes and a refresh comes before the answer.
    pager.want(PAGE_SIZE - 5, PAGE_SIZE + 4);
    rows.unshift(contact(999, 'A-premier'));
    refreshed = 0;
    pager.refresh();
    // Shown meanwhile: the rows held before.
    expect(pager.row(0)?.id).toBe(1);
    await s.releaseAll();
    expect(pager.row(0)?.id).toBe(999);
    expect(pager.row(PAGE_SIZE)?.id).toBe(rows[PAGE_SIZE]!.id);
    expect(pager.total).toBe(PAGE_SIZE + 6);
    expect(pager.indexOf(1)).toBe(1);
    expect(refreshed).toBe(1);
    expect(s.pending).toHaveLength(0);
  });
});
