import { useEffect, useEffectEvent, useReducer, useState } from 'react';
import { ContactPager } from '../client/contactPager';
import type { ConnState, ServerClient } from '../client/serverClient';

/** search_contacts takes offsets up to 10,000 and counts that far: rows past that are not listed. */
const MAX_SEARCH_ROWS = 10_000;

/** All contacts sorted by nom then prénom (list_contacts), or the matches of a filter (search_contacts), both by offset. */
function makePager(conn: ServerClient, query: string): ContactPager {
  if (!query) return new ContactPager(({ offset, limit }) => conn.request('list_contacts', { sort: 'nom', limit, offset }));
  return new ContactPager(({ offset, limit }) => conn.request('search_contacts', { query, limit, offset }), MAX_SEARCH_ROWS);
}

/** Stands in until the effect has made the pager: no rows, no total, and it never loads. */
const NOT_MADE = new ContactPager(() => new Promise<never>(() => {}));
NOT_MADE.dispose();

/**
 * The pager of the contact list for `query` (all contacts when empty), for a list `height` rows
 * high. An effect owns it: made when the link or the query changes or on `reload()`, disposed when
 * replaced or unmounted, so the late answers of an older query are ignored and a newer query
 * always wins. Each change of the pager re-renders the caller.
 */
export function useContactPager(conn: ServerClient, query: string, height: number): { pager: ContactPager; reload: () => void } {
  const [reloads, reload] = useReducer((n: number) => n + 1, 0);
  const [, repaint] = useReducer((n: number) => n + 1, 0);
  const [made, setMade] = useState<{ pager: ContactPager; conn: ServerClient; query: string; reloads: number } | null>(null);
  // A new list shows from its top (nothing is known of it yet): its first rows are asked for at
  // once, so each query typed is sent even when the next key comes before the pager is shown.
  const loadTop = useEffectEvent((pager: ContactPager) => pager.want(-height, height * 2));
  useEffect(() => {
    const pager = makePager(conn, query);
    pager.on('change', repaint);
    loadTop(pager);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the pager is a resource (requests in flight, listeners): made and disposed here, handed to render once made
    setMade({ pager, conn, query, reloads });
    return () => pager.dispose();
  }, [conn, query, reloads]);
  const current = made !== null && made.conn === conn && made.query === query && made.reloads === reloads;
  return { pager: current ? made.pager : NOT_MADE, reload };
}

/**
 * Loads the rows around the selection (a screen above and two below, so paging feels instant), and
 * a page that failed because the link dropped again once it is back.
 */
export function usePagerWindow(pager: ContactPager, selected: number, height: number, connState: ConnState): void {
  useEffect(() => {
    pager.want(selected - height, selected + height * 2);
  }, [pager, selected, height]);
  useEffect(() => {
    if (connState === 'online' && pager.error) pager.retry();
  }, [connState, pager]);
}
