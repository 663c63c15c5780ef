import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import TextInput from 'ink-text-input';
import { blankKey, type KeyEvent } from '../hooks/useKeypress';
import { waitForFrame } from '../../test/helpers';
import { editText } from './TextField';

/**
 * Why the fields are our TextField and not ink-text-input (the design card's choice), shown on
 * ink-text-input 6.0 itself: each case below is something a field must do.
 */
function Probe({ onValue }: { onValue: (v: string) => void }) {
  const [value, setValue] = useState('abc');
  return (
    <TextInput
      value={value}
      onChange={(v) => {
        setValue(v);
        onValue(v);
      }}
    />
  );
}

const key = (k: Partial<ReturnType<typeof blankKey>>): KeyEvent => ({ input: '', key: { ...blankKey(), ...k }, paste: false });

describe('ink-text-input cannot', () => {
  it('delete the character under the cursor: its Delete erases backwards, as Backspace does', async () => {
    const seen: string[] = [];
    const ui = render(<Probe onValue={(v) => seen.push(v)} />);
    ui.stdin.write('\u001b[D'); // ← : the cursor on « c »
    // Its cursor is internal state with no sign in a plain frame: give React a moment to commit it.
    await new Promise((r) => setTimeout(r, 200));
    ui.stdin.write('\u001b[3~'); // Delete
    await waitForFrame(() => String(seen.length), '1');
    expect(seen.at(-1)).toBe('ac'); // « b » went, not « c »
    // Ours: Delete takes the character under the cursor.
    expect(editText({ value: 'abc', cursor: 2 }, key({ delete: true }))?.value).toBe('ab');
  });

  it('leave command keys alone: Ctrl+S (our submit) types an « s »', async () => {
    const seen: string[] = [];
    const ui = render(<Probe onValue={(v) => seen.push(v)} />);
    ui.stdin.write('\u0013'); // Ctrl+S
    await waitForFrame(() => String(seen.length), '1');
    expect(seen.at(-1)).toBe('abcs');
    // Ours leaves Ctrl+S to the form, and clears with Ctrl+U.
    expect(editText({ value: 'abc', cursor: 3 }, { input: 's', key: { ...blankKey(), ctrl: true }, paste: false })).toBeNull();
    expect(editText({ value: 'abc', cursor: 3 }, { input: 'u', key: { ...blankKey(), ctrl: true }, paste: false })?.value).toBe('');
  });
});
