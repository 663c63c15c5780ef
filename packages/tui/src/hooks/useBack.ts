import { back } from '../state/actions';
import { useAppState } from '../state/context';
import { useKeypress } from './useKeypress';

/** Esc goes back one screen. Registered by the screen, so it sees Esc before the screen's form. */
export function useBack(isActive = true, onBack?: () => boolean): void {
  const { dispatch } = useAppState();
  useKeypress(
    (event) => {
      if (!event.key.escape || event.paste) return false;
      if (onBack?.()) return true;
      dispatch(back());
      return true;
    },
    { isActive },
  );
}
