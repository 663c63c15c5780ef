import { useEffect, useEffectEvent } from 'react';
import type { ContactChange } from '@annuaire/protocol';
import { liveFeedOf } from '../client/liveFeed';
import { useConnection } from './useConnection';

/**
 * Calls `onChanges` with each batch of the annuaire's changes as they happen (made in this
 * terminal or another), and `onReload` when the server could not say what changed. The latest
 * callbacks are used: a screen passes closures over its current state.
 */
export function useLiveChanges(onChanges: (changes: ContactChange[]) => void, onReload: () => void = () => {}): void {
  const { conn } = useConnection();
  const changed = useEffectEvent(onChanges);
  const reloadAll = useEffectEvent(onReload);
  useEffect(() => {
    const feed = liveFeedOf(conn);
    const changes = (c: ContactChange[]) => changed(c);
    const reload = () => reloadAll();
    feed.on('changes', changes);
    feed.on('reload', reload);
    return () => {
      feed.off('changes', changes);
      feed.off('reload', reload);
    };
  }, [conn]);
}
