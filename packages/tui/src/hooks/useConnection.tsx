import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ConnectionError, ProtocolError } from '@annuaire/protocol';
import { NotSentError, type ServerClient } from '../client/serverClient';
import { UserFacingError } from '../lib/userFacingError';
import type { Translate } from '../i18n';

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

export interface Failure {
  message: string;
  /** For invalid_params: the field the server pointed at. */
  field?: string;
  code?: string;
  /** For version_conflict: the contact as it is on the server now. */
  current?: unknown;
}

/** « Réessayez plus tard » says when: from the server's retry_after_ms. */
function withRetryTime(err: ProtocolError, t: Translate): string {
  const ms = err.body.retry_after_ms;
  if (ms === undefined) return err.message;
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  const time = seconds < 60 ? t('time.seconds', { count: seconds }) : t('time.minutes', { count: Math.ceil(seconds / 60) });
  return err.code === 'too_many_attempts' ? t('error.tooManyAttempts', { time }) : `${err.message} ${t('error.retryIn', { time })}`;
}

/** What to tell the user about a failed request: the server's own (localized) words when it answered. */
export function describeFailure(err: unknown, t: Translate): Failure {
  if (err instanceof ProtocolError) {
    return { message: withRetryTime(err, t), field: err.body.field, code: err.code, current: err.body.current };
  }
  if (err instanceof NotSentError) return { message: t('conn.notConnected') };
  if (err instanceof UserFacingError) return { message: err.message };
  if (err instanceof ConnectionError) return { message: t('conn.droppedDuringRequest') };
  return { message: t('error.unexpected', { message: err instanceof Error ? err.message : String(err) }) };
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
