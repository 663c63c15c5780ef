import { afterEach, describe, expect, it } from 'vitest';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { windowTop, WindowedList } from './WindowedList';

afterEach(cleanup);

describe('windowTop', () => {
  it('keeps the window still while the selection moves inside it', () => {
    expect(windowTop(10, 12, 5, 100)).toBe(10);
    expect(windowTop(10, 14, 5, 100)).toBe(10);
  });
  it('scrolls just enough to show the selection', () => {
    expect(windowTop(10, 15, 5, 100)).toBe(11);
    expect(windowTop(10, 9, 5, 100)).toBe(9);
    expect(windowTop(0, 99_999, 20, 100_000)).toBe(99_980);
  });
  it('never scrolls past either end', () => {
    expect(windowTop(50, 3, 10, 8)).toBe(0);
    expect(windowTop(95, 99, 10, 100)).toBe(90);
  });
});

describe('WindowedList', () => {
  it('renders only the visible rows of a 100,000-row list', () => {
    const rendered: number[] = [];
    const ui = render(
      <WindowedList
        total={100_000}
        selected={54_321}
        height={15}
        renderRow={(i, selected) => {
          rendered.push(i);
          return <Text>{`${selected ? '>' : ' '}row ${i}`}</Text>;
        }}
      />,
    );
    expect(rendered.length).toBeLessThanOrEqual(15);
    expect(Math.min(...rendered)).toBeGreaterThan(54_300);
    const frame = ui.lastFrame() ?? '';
    expect(frame).toContain('>row 54321');
    expect(frame.split('\n')).toHaveLength(15);
  });

  it('shows a placeholder for rows not loaded yet', () => {
    const ui = render(<WindowedList total={10} selected={0} height={5} placeholder="chargement…" renderRow={(i) => (i < 2 ? <Text>{`row ${i}`}</Text> : undefined)} />);
    const lines = (ui.lastFrame() ?? '').split('\n');
    expect(lines[1]).toContain('row 1');
    expect(lines[2]).toContain('chargement…');
  });
});
