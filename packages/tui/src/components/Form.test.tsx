import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, renderUi, waitForFrame } from '../../test/helpers';
import { Form, type Values } from './Form';

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
