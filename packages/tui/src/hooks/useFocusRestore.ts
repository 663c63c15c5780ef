import { useEffect, useRef } from 'react';
import type { Contact } from '@annuaire/protocol';
import { locateInList, type ContactPager } from '../client/contactPager';
import type { ServerClient } from '../client/serverClient';

/**
 * Back from the form that saved `focus`: select that contact rather than the row it used to be on
 * (an edit may have renamed it, an add put it anywhere). Among the rows loaded around the old place
 * first; else, in the full list, by binary search on its sort key; in a filtered list, by
 * relevance, the server's own order, it stays where it was.
 */
export function useFocusRestore(conn: ServerClient, pager: ContactPager, query: string, focus: Contact | undefined, select: (i: number) => void): void {
  const pending = useRef(focus ?? null);
  // The list on screen now: a lookup that finishes after the user typed a filter must not move its selection.
  const shown = useRef(pager);
  useEffect(() => {
    shown.current = pager;
  }, [pager]);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  const settled = pager.total !== null && !pager.loading;
  useEffect(() => {
    const target = pending.current;
    if (!target || !settled) return;
    pending.current = null;
    const at = pager.indexOf(target.id);
    if (at >= 0) {
      select(at);
      return;
    }
    if (query) return;
    const rowAt = async (offset: number) => (await conn.request('list_contacts', { sort: 'nom', limit: 1, offset })).contacts[0];
    locateInList(target, pager.total ?? 0, rowAt).then(
      (i) => {
        if (i !== null && alive.current && shown.current === pager) select(i);
      },
      () => undefined,
    );
  }, [conn, pager, query, settled, select]);
}
