import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, renderUi, waitForFrame } from '../../test/helpers';
import { fieldWidthFor, Form } from './Form';
import type { Values } from './formTypes';
import { layoutFor, LayoutContext } from './layout';

afterEach(cleanup);

type N = 'user' | 'pass';
function Harness({ onSubmit }: { onSubmit: (v: Values<N>) => void }) {
  const [values, setValues] = useState<Values<N>>({ user: '', pass: '' });
  return (
    <Form
      fields={[
        { name: 'user', label: 'User' },
        { name: 'pass', label: 'Pass', kind: 'password' },
      ]}
      values={values}
      onChange={setValues}
      onSubmit={() => onSubmit(values)}
      submitLabel="Go"
      errors={values.user === 'bad' ? { user: 'not allowed' } : {}}
    />
  );
}

describe('Form', () => {
  it('types into the focused field, Enter moves on, Enter on the last field submits', async () => {
    const submitted: Values<N>[] = [];
    const ui = renderUi(<Harness onSubmit={(v) => submitted.push(v)} />);
    ui.stdin.write('alice');
    ui.stdin.write(KEY.enter);
    ui.stdin.write('s3cret');
    await waitForFrame(ui.lastFrame, '••••••');
    expect(ui.lastFrame()).not.toContain('s3cret');
    ui.stdin.write(KEY.enter);
    await waitForFrame(ui.lastFrame, () => submitted.length === 1);
    expect(submitted[0]).toEqual({ user: 'alice', pass: 's3cret' });
  });

  it('handles keys that arrive in one chunk one after the other', async () => {
    const submitted: Values<N>[] = [];
    const ui = renderUi(<Harness onSubmit={(v) => submitted.push(v)} />);
    ui.stdin.write('bob\rpw12\r');
    await waitForFrame(ui.lastFrame, () => submitted.length === 1);
    expect(submitted[0]).toEqual({ user: 'bob', pass: 'pw12' });
  });

  it('Tab and Shift+Tab move between fields; Backspace and arrows edit', async () => {
    const ui = renderUi(<Harness onSubmit={() => undefined} />);
    ui.stdin.write('abd');
    await waitForFrame(ui.lastFrame, 'abd');
    ui.stdin.write(KEY.left);
    ui.stdin.write(KEY.backspace);
    ui.stdin.write('xc');
    await waitForFrame(ui.lastFrame, 'axcd');
    ui.stdin.write(KEY.tab);
    ui.stdin.write('p');
    await waitForFrame(ui.lastFrame, '•');
    ui.stdin.write(KEY.shiftTab);
    ui.stdin.write('!');
    await waitForFrame(ui.lastFrame, 'axc!d');
  });

  it('shows a field error next to its field', async () => {
    const ui = renderUi(<Harness onSubmit={() => undefined} />);
    ui.stdin.write('bad');
    const frame = await waitForFrame(ui.lastFrame, 'not allowed');
    const line = frame.split('\n').find((l) => l.includes('not allowed'));
    expect(line).toContain('User');
  });
});

describe('Form taller than its room', () => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] as const;
  function Tall() {
    const [values, setValues] = useState<Values<(typeof names)[number]>>(Object.fromEntries(names.map((n) => [n, ''])) as Values<(typeof names)[number]>);
    return (
      <Form
        fields={names.map((n) => ({ name: n, label: `Field-${n}` }))}
        values={values}
        onChange={setValues}
        onSubmit={() => undefined}
        submitLabel="Go"
        height={6}
      />
    );
  }

  it('shows a window of fields that follows the focus, the button always in view', async () => {
    const ui = renderUi(<Tall />);
    // Only the side that hides fields is named: never « 0 champ(s) au-dessus ».
    let frame = await waitForFrame(ui.lastFrame, '▼ 5 champ(s) en dessous (↑↓ Tab)');
    expect(frame).not.toContain('au-dessus');
    expect(frame).toContain('Field-c');
    expect(frame).not.toContain('Field-d');
    expect(frame).toContain('Go');
    for (let i = 0; i < 5; i++) ui.stdin.write(KEY.tab);
    ui.stdin.write('typed');
    frame = await waitForFrame(ui.lastFrame, 'typed');
    // Field f is focused: it and the two before it show; a and b scrolled away.
    expect(frame.split('\n').find((l) => l.includes('typed'))).toContain('Field-f');
    expect(frame).not.toContain('Field-a');
    expect(frame).toContain('▲ 3 champ(s) au-dessus · ▼ 2 champ(s) en dessous');
    expect(frame).toContain('Go');
    expect(frame.split('\n').length).toBeLessThanOrEqual(6);
  });
});

describe('fields widen with the terminal', () => {
  it('28 columns at 80, up to 70, leaving room for the error beside them', () => {
    expect(fieldWidthFor(80, 18)).toBe(28);
    expect(fieldWidthFor(120, 18)).toBe(64);
    expect(fieldWidthFor(200, 18)).toBe(70);
  });

  it('renders as wide at 120 columns', async () => {
    const ui = renderUi(
      <LayoutContext.Provider value={layoutFor(120, 40)}>
        <Form fields={[{ name: 'a', label: 'A' }]} values={{ a: '' }} onChange={() => undefined} onSubmit={() => undefined} submitLabel="Go" labelWidth={18} />
      </LayoutContext.Provider>,
    );
    const frame = await waitForFrame(ui.lastFrame, '[');
    const field = /\[([^\]]*)\]/.exec(frame)?.[1] ?? '';
    expect(field.length).toBe(64);
  });
});

describe('a cut error', () => {
  it('shows whole under the form while its field is focused', async () => {
    const long = 'Lettres, chiffres, « . », « _ » et « - » seulement, en commençant par une lettre ou un chiffre';
    const ui = renderUi(<Form fields={[{ name: 'u', label: 'User' }]} values={{ u: '-x' }} onChange={() => undefined} onSubmit={() => undefined} submitLabel="Go" errors={{ u: long }} />);
    const frame = await waitForFrame(ui.lastFrame, 'commençant');
    expect(frame.replace(/\s+/g, ' ')).toContain(`User : ${long}`.replace(/\s+/g, ' '));
  });
});
