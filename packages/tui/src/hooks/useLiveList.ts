import { useEffect, useRef } from 'react';
import type { Contact } from '@annuaire/protocol';
import type { ContactPager } from '../client/contactPager';
import { useLiveChanges } from './useLiveChanges';

/**
 * Keeps a list screen live: changes made anywhere show in place when they can, else the rows in
 * view load again (a filtered list runs its search again), and the selection then goes back to
 * the contact it was on, wherever it now sits. The list's scroll holds (WindowedList scrolls
 * only to keep the selection in view).
 */
export function useLiveList(pager: ContactPager, { filtered, selected, select }: { filtered: boolean; selected: Contact | undefined; select: (index: number) => void }): void {
  /** The contact to select again once the rows are loaded again. */
  const follow = useRef<number | null>(null);
  const reload = () => {
    if (selected) follow.current = selected.id;
    pager.refresh();
  };
  useLiveChanges((changes) => {
    if (!pager.patch(changes, filtered)) reload();
  }, reload);
  useEffect(() => {
    const onRefreshed = () => {
      const id = follow.current;
      if (id === null) return;
      follow.current = null;
      const at = pager.indexOf(id);
      if (at >= 0) select(at);
    };
    pager.on('refreshed', onRefreshed);
    return () => {
      pager.off('refreshed', onRefreshed);
    };
  }, [pager, select]);
}
