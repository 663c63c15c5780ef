import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, renderUi, waitForFrame } from '../../test/helpers';
import { Menu } from './Menu';

afterEach(cleanup);

const items = [
  { value: 'a', label: 'Créer un compte' },
  { value: 'b', label: 'Se connecter' },
  { value: 'c', label: 'Quitter' },
];

describe('Menu', () => {
  it('numbers its items and marks the selection', () => {
    const ui = renderUi(<Menu items={items} onSelect={() => undefined} />);
    expect(ui.lastFrame()).toBe('❯ 1. Créer un compte\n  2. Se connecter\n  3. Quitter');
  });

  it('moves with the arrows (wrapping) and selects with Enter', async () => {
    const chosen: string[] = [];
    const ui = renderUi(<Menu items={items} onSelect={(v) => chosen.push(v)} />);
    ui.stdin.write(KEY.down);
    ui.stdin.write(KEY.down);
    ui.stdin.write(KEY.down);
    ui.stdin.write(KEY.up);
    ui.stdin.write(KEY.enter);
    await waitForFrame(ui.lastFrame, () => chosen.length === 1);
    expect(chosen).toEqual(['c']);
  });

  it('selects straight away with a digit, and ignores digits beyond its items', async () => {
    const chosen: string[] = [];
    const ui = renderUi(<Menu items={items} onSelect={(v) => chosen.push(v)} />);
    ui.stdin.write('7');
    ui.stdin.write('2');
    await waitForFrame(ui.lastFrame, '❯ 2. Se connecter');
    expect(chosen).toEqual(['b']);
  });

  it('does nothing while inactive', async () => {
    const chosen: string[] = [];
    const ui = renderUi(<Menu items={items} onSelect={(v) => chosen.push(v)} isActive={false} />);
    ui.stdin.write('1');
    ui.stdin.write(KEY.enter);
    await new Promise((r) => setImmediate(r));
    expect(chosen).toEqual([]);
  });
});
