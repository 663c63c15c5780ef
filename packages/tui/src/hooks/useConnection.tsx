import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { ServerClient } from '../client/serverClient';

const ConnectionContext = createContext<ServerClient | null>(null);

export function ConnectionProvider({ connection, children }: { connection: ServerClient; children: ReactNode }) {
  return <ConnectionContext.Provider value={connection}>{children}</ConnectionContext.Provider>;
}

/** The connection, re-rendering the caller whenever its state, user or retry delay changes. */
export function useConnection() {
  const conn = useContext(ConnectionContext);
  if (!conn) throw new Error('useConnection needs a ConnectionProvider above it');
  const version = useRef(0);
  const subscribe = useCallback(
    (onChange: () => void) => {
      const listener = () => {
        version.current++;
        onChange();
      };
      conn.on('change', listener);
      return () => {
        conn.off('change', listener);
      };
    },
    [conn],
  );
  useSyncExternalStore(subscribe, () => version.current);
  return { conn, state: conn.state, username: conn.username, retryInMs: conn.retryInMs, address: conn.address };
}

/**
 * Runs one request at a time for a screen: `busy` while it waits (drives the spinner), and a
 * second submit while busy is ignored, so a double Enter never sends twice.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(async <T,>(task: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown } | null> => {
    if (busyRef.current) return null;
    busyRef.current = true;
    setBusy(true);
    try {
      return { ok: true, value: await task() };
    } catch (error) {
      return { ok: false, error };
    } finally {
      busyRef.current = false;
      if (mounted.current) setBusy(false);
    }
  }, []);
  return { busy, run, isMounted: () => mounted.current };
}
