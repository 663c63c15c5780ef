import { useEffect, useEffectEvent, useId } from 'react';
import { askBack, back } from '../state/actions';
import { useAppState } from '../state/context';
import { useKeypress } from './useKeypress';

/**
 * Esc goes back one screen (or does `onBack`, when it returns true). Registered by the screen, so
 * it sees Esc before the screen's form. When a form holds unsaved input, Esc first asks (the app
 * shows the question over the screen) and goes back only once the user agrees; `askIfUnsaved:
 * false` for an Esc that loses nothing (closing a panel).
 */
export function useBack({ isActive = true, onBack, askIfUnsaved = true }: { isActive?: boolean; onBack?: () => boolean; askIfUnsaved?: boolean } = {}): void {
  const { state, dispatch } = useAppState();
  const owner = useId();
  const goBack = () => {
    if (onBack?.()) return;
    dispatch(back());
  };
  const goBackAgreed = useEffectEvent(goBack);
  useKeypress(
    (event) => {
      if (!event.key.escape || event.paste) return false;
      if (askIfUnsaved && state.dirty.length > 0) dispatch(askBack(owner));
      else goBack();
      return true;
    },
    { isActive },
  );
  // The discard the user agreed to, if this hook asked for it.
  const discarded = state.discarded;
  useEffect(() => {
    if (discarded?.owner === owner) goBackAgreed();
  }, [discarded, owner]);
}
