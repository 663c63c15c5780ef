import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useInput, useStdin, type Key } from 'ink';

/** One key (or one pasted run of text) as handed to a handler. */
export interface KeyEvent {
  input: string;
  key: Key;
  /** True when `input` came from a bracketed paste: plain text, never a command. Its line breaks are "\n". */
  paste: boolean;
  /** A key Ink does not name: F1 (the help), Ctrl+J (a line feed: a new line in notes). */
  fn?: 'f1' | 'newline';
}

/** Return true when the key was used: no handler below sees it then. */
export type KeyHandler = (event: KeyEvent) => boolean | void;

/** Handlers with a higher priority see keys first. Dialogs sit above screens, the global Ctrl+C above all. */
export const PRIORITY = { screen: 0, dialog: 100, global: 1000 } as const;

interface Entry {
  order: number;
  priority: number;
  handler: { current: KeyHandler };
  active: { current: boolean };
}

interface Registry {
  register(entry: Omit<Entry, 'order'>): () => void;
}

const KeypressContext = createContext<Registry | null>(null);

const PASTE_START = '[200~';
const PASTE_END = '[201~';

/**
 * THE keypress dispatcher: the app's only `useInput`. Ink hands every active `useInput` every key,
 * so several of them type each character twice; here each key goes down one ordered list of
 * handlers (highest priority first, and among equals the one mounted last) until one takes it.
 * It also turns bracketed paste (enabled by cli.tsx) into a single text event.
 */
export function KeypressProvider({ children }: { children: ReactNode }) {
  const entries = useRef<Entry[]>([]);
  const nextOrder = useRef(0);
  const pasting = useRef(false);

  const register = useCallback((entry: Omit<Entry, 'order'>) => {
    const full: Entry = { ...entry, order: nextOrder.current++ };
    entries.current = [...entries.current, full].sort((a, b) => b.priority - a.priority || b.order - a.order);
    return () => {
      entries.current = entries.current.filter((e) => e !== full);
    };
  }, []);

  const deliver = useCallback((event: KeyEvent) => {
    for (const entry of entries.current) {
      if (!entry.active.current) continue;
      if (entry.handler.current(event) === true) return;
    }
  }, []);

  // Each key must see the state the previous key left behind, but React commits updates a moment
  // after they are made, and keys often arrive together (a fast typist, a script, tmux send-keys,
  // several keys in one chunk). So keys wait in a queue that is itself React state: a layout effect
  // hands one key to the handlers, and the next only after the commit that key's updates caused.
  const [queue, setQueue] = useState<KeyEvent[]>([]);
  useLayoutEffect(() => {
    const next = queue[0];
    if (!next) return;
    deliver(next);
    setQueue((q) => q.slice(1));
  }, [queue, deliver]);
  const dispatch = useCallback((event: KeyEvent) => setQueue((q) => [...q, event]), []);

  // Ink gives Backspace (0x7f) and Delete (ESC [3~) the same name, and no name to F1: the raw
  // bytes of each key, seen just before Ink's own listener (registered after this one), tell them apart.
  const { internal_eventEmitter: rawInput } = useStdin();
  const raw = useRef('');
  useEffect(() => {
    const onRaw = (data: string) => {
      raw.current = data;
    };
    rawInput.on('input', onRaw);
    return () => {
      rawInput.off('input', onRaw);
    };
  }, [rawInput]);

  const onInput = useCallback((input: string, key: Key) => {
    if (input === PASTE_START) {
      pasting.current = true;
      return;
    }
    if (input === PASTE_END) {
      pasting.current = false;
      return;
    }
    if (pasting.current) {
      // Line breaks stay (as "\n"): a multi-line field keeps them, a one-line field makes them spaces.
      const text = input.replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
      if (text) dispatch({ input: text, key: { ...key, return: false, tab: false }, paste: true });
      return;
    }
    const bytes = raw.current;
    if (key.delete || key.backspace) {
      const forward = /\[3[~$^;]/.test(bytes);
      dispatch({ input, key: { ...key, delete: forward, backspace: !forward }, paste: false });
      return;
    }
    // eslint-disable-next-line no-control-regex -- the escape sequences that F1 sends
    if (/^\u001b(OP|\[11~|\[\[A|\[1;\d+P)$/.test(bytes)) {
      dispatch({ input: '', key, paste: false, fn: 'f1' });
      return;
    }
    if (bytes === '\n') {
      dispatch({ input: '', key, paste: false, fn: 'newline' });
      return;
    }
    if (input.length > 1 && CONTROL.test(input)) {
      // Ink splits its input only at escape sequences: keys that arrive together ("abc\rdef",
      // from a fast typist, a script or tmux send-keys) come as one string. Split them again.
      for (const part of splitKeys(input)) dispatch(part);
      return;
    }
    dispatch({ input, key, paste: false });
  }, [dispatch]);
  useInput(onInput);

  const registry = useMemo(() => ({ register }), [register]);
  return <KeypressContext.Provider value={registry}>{children}</KeypressContext.Provider>;
}

// eslint-disable-next-line no-control-regex -- terminal input: control characters are what this matches
const CONTROL = /[\u0000-\u001f\u007f]/;

export function blankKey(): Key {
  return {
    upArrow: false,
    downArrow: false,
    leftArrow: false,
    rightArrow: false,
    pageDown: false,
    pageUp: false,
    home: false,
    end: false,
    return: false,
    escape: false,
    ctrl: false,
    shift: false,
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
    super: false,
    hyper: false,
    capsLock: false,
    numLock: false,
  };
}

/** One key event per control character, and one per run of text between them. */
export function splitKeys(raw: string): KeyEvent[] {
  const events: KeyEvent[] = [];
  // eslint-disable-next-line no-control-regex -- terminal input: control characters are what this matches
  for (const part of raw.split(/([\u0000-\u001f\u007f])/)) {
    if (!part) continue;
    const key = blankKey();
    let input = part;
    const code = part.charCodeAt(0);
    if (part.length === 1 && (code < 0x20 || code === 0x7f)) {
      input = '';
      if (part === '\r' || part === '\n') key.return = true;
      else if (part === '\t') key.tab = true;
      else if (part === '\x7f' || part === '\b') key.backspace = true;
      else if (code >= 1 && code <= 26) {
        key.ctrl = true;
        input = String.fromCharCode(code + 96);
      } else continue;
    }
    events.push({ input, key, paste: false });
  }
  return events;
}

/** Subscribes a handler to the dispatcher while `isActive`. */
export function useKeypress(handler: KeyHandler, options: { isActive?: boolean; priority?: number } = {}): void {
  const registry = useContext(KeypressContext);
  if (!registry) throw new Error('useKeypress needs a KeypressProvider above it');
  const handlerRef = useRef(handler);
  const activeRef = useRef(options.isActive ?? true);
  const isActive = options.isActive ?? true;
  // After each commit, before the provider (an ancestor: its layout effects run after ours) hands
  // over the next key: each key sees the handler of the frame the previous key left behind.
  useLayoutEffect(() => {
    handlerRef.current = handler;
    activeRef.current = isActive;
  });
  const priority = options.priority ?? PRIORITY.screen;
  // A layout effect: the handler is live as soon as its screen is on screen, so fast typing is never lost.
  useLayoutEffect(() => registry.register({ priority, handler: handlerRef, active: activeRef }), [registry, priority]);
}

/** Printable text in a key event: what a text field should insert, or '' for a command key. */
export function printable(event: KeyEvent): string {
  const { input, key } = event;
  if (!event.paste && (key.ctrl || key.meta || key.escape || key.return || key.tab)) return '';
  // Drop control characters (a pasted "\r" without bracketed paste, stray escapes).
  // eslint-disable-next-line no-control-regex -- terminal input: control characters are what this matches
  return input.replace(/[\u0000-\u001f\u007f]/g, '');
}

/** Digit keys 1-9 as a 0-based index, else -1. */
export function digitIndex(event: KeyEvent): number {
  if (event.paste || event.key.ctrl || event.key.meta) return -1;
  return /^[1-9]$/.test(event.input) ? Number(event.input) - 1 : -1;
}

export const isCtrl = (event: KeyEvent, letter: string) => event.key.ctrl && event.input === letter;
