import { createContext, useContext, useEffect, type Dispatch, type ReactNode } from 'react';
import type { Action } from './actions';
import { setDirty } from './actions';
import type { AppState } from './reducer';

const AppStateContext = createContext<{ state: AppState; dispatch: Dispatch<Action> } | null>(null);

export function AppStateProvider({ state, dispatch, children }: { state: AppState; dispatch: Dispatch<Action>; children: ReactNode }) {
  return <AppStateContext.Provider value={{ state, dispatch }}>{children}</AppStateContext.Provider>;
}

export function useAppState() {
  const value = useContext(AppStateContext);
  if (!value) throw new Error('useAppState needs an AppStateProvider above it');
  return value;
}

/** Tells the app that `owner` holds unsaved input (so Ctrl+C asks before quitting). */
export function useDirty(owner: string, dirty: boolean): void {
  const { dispatch } = useAppState();
  useEffect(() => {
    dispatch(setDirty(owner, dirty));
  }, [dispatch, owner, dirty]);
  useEffect(() => () => dispatch(setDirty(owner, false)), [dispatch, owner]);
}
