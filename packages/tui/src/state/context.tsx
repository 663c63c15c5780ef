import { createContext, useContext, useEffect, useRef, type Dispatch, type MutableRefObject, type ReactNode } from 'react';
import type { Action, Draft } from './actions';
import { setDirty } from './actions';
import type { AppState } from './reducer';

const AppStateContext = createContext<{ state: AppState; dispatch: Dispatch<Action>; draft: MutableRefObject<Draft | null> } | null>(null);

export function AppStateProvider({ state, dispatch, children }: { state: AppState; dispatch: Dispatch<Action>; children: ReactNode }) {
  // The open contact form's unsaved input, read when the session ends (a ref: typing re-renders nothing else).
  const draft = useRef<Draft | null>(null);
  return <AppStateContext.Provider value={{ state, dispatch, draft }}>{children}</AppStateContext.Provider>;
}

export function useAppState() {
  const value = useContext(AppStateContext);
  if (!value) throw new Error('useAppState needs an AppStateProvider above it');
  return value;
}

/** Keeps the open contact form's unsaved input where the app finds it if the session ends. */
export function useDraft(draft: Draft | null): void {
  const { draft: ref } = useAppState();
  useEffect(() => {
    ref.current = draft;
  });
  useEffect(
    () => () => {
      ref.current = null;
    },
    [ref],
  );
}

/** Tells the app that `owner` holds unsaved input (so Ctrl+C asks before quitting). */
export function useDirty(owner: string, dirty: boolean): void {
  const { dispatch } = useAppState();
  useEffect(() => {
    dispatch(setDirty(owner, dirty));
  }, [dispatch, owner, dirty]);
  useEffect(() => () => dispatch(setDirty(owner, false)), [dispatch, owner]);
}
