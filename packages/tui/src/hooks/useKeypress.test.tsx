import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Text } from 'ink';
import { cleanup } from 'ink-testing-library';
import { renderUi, waitForFrame } from '../../test/helpers';
import { PRIORITY, splitKeys, useKeypress, type KeyEvent } from './useKeypress';

afterEach(cleanup);

function Recorder({ name, log, priority, take = true }: { name: string; log: string[]; priority?: number; take?: boolean }) {
  useKeypress(
    (e) => {
      log.push(`${name}:${e.paste ? 'paste:' : ''}${e.input}`);
      return take;
    },
    { priority },
  );
  return null;
}

describe('the one key dispatcher', () => {
  it('hands each key to one handler only: highest priority first', async () => {
    const log: string[] = [];
    const ui = renderUi(
      <>
        <Recorder name="screen" log={log} />
        <Recorder name="dialog" log={log} priority={PRIORITY.dialog} />
      </>,
    );
    ui.stdin.write('x');
    await waitForFrame(ui.lastFrame, () => log.length > 0);
    expect(log).toEqual(['dialog:x']);
  });

  it('passes a key down when a handler does not take it', async () => {
    const log: string[] = [];
    const ui = renderUi(
      <>
        <Recorder name="screen" log={log} />
        <Recorder name="global" log={log} priority={PRIORITY.global} take={false} />
      </>,
    );
    ui.stdin.write('y');
    await waitForFrame(ui.lastFrame, () => log.length === 2);
    expect(log).toEqual(['global:y', 'screen:y']);
  });

  it('turns a bracketed paste into one text event, line breaks as \\n (a one-line field makes them spaces)', async () => {
    const log: string[] = [];
    const ui = renderUi(<Recorder name="s" log={log} />);
    ui.stdin.write('\u001b[200~ligne 1\r\nligne 2\u001b[201~');
    await waitForFrame(ui.lastFrame, () => log.length > 0);
    expect(log).toEqual(['s:paste:ligne 1\nligne 2']);
  });

  it('tells Backspace (0x7f) from Delete (ESC [3~), which Ink names alike, and sees F1', async () => {
    const events: KeyEvent[] = [];
    function Keys() {
      useKeypress((e) => (events.push(e), true));
      return null;
    }
    const ui = renderUi(<Keys />);
    ui.stdin.write('\u007f');
    await waitForFrame(ui.lastFrame, () => events.length === 1);
    ui.stdin.write('\u001b[3~');
    await waitForFrame(ui.lastFrame, () => events.length === 2);
    ui.stdin.write('\u001bOP');
    await waitForFrame(ui.lastFrame, () => events.length === 3);
    expect(events.map((e) => [e.key.backspace, e.key.delete, e.fn ?? null])).toEqual([
      [true, false, null],
      [false, true, null],
      [false, false, 'f1'],
    ]);
  });

  it('gives each queued key the state the previous key left', async () => {
    function Counter() {
      const [n, setN] = useState(0);
      // Reads n from its closure: a stale closure would count 1, not 3.
      useKeypress(() => {
        setN(n + 1);
        return true;
      });
      return <Text>n={n}</Text>;
    }
    const ui = renderUi(<Counter />);
    ui.stdin.write('a');
    ui.stdin.write('b');
    ui.stdin.write('c');
    await waitForFrame(ui.lastFrame, 'n=3');
  });
});

describe('splitKeys', () => {
  const names = (events: KeyEvent[]) => events.map((e) => (e.key.return ? '⏎' : e.key.tab ? '⇥' : e.key.backspace ? '⌫' : e.key.delete ? '⌦' : e.key.ctrl ? `^${e.input}` : e.input));
  it('splits text and control keys that arrived together', () => {
    expect(names(splitKeys('rim\rsecret\t\u007fx\u0013'))).toEqual(['rim', '⏎', 'secret', '⇥', '⌫', 'x', '^s']);
  });
});
