import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { blankKey, type KeyEvent } from '../hooks/useKeypress';
import { editText, TextField, visibleSlice } from './TextField';

const ev = (input: string, key: Partial<ReturnType<typeof blankKey>> = {}, paste = false): KeyEvent => ({ input, key: { ...blankKey(), ...key }, paste });

describe('editText', () => {
  it('inserts at the cursor and moves it', () => {
    expect(editText({ value: 'Hlène', cursor: 1 }, ev('é'))).toEqual({ value: 'Hélène', cursor: 2 });
  });
  it('erases before the cursor with Backspace, under it with Delete', () => {
    expect(editText({ value: 'abc', cursor: 2 }, ev('', { backspace: true }))).toEqual({ value: 'ac', cursor: 1 });
    expect(editText({ value: 'abc', cursor: 0 }, ev('', { backspace: true }))).toEqual({ value: 'abc', cursor: 0 });
    expect(editText({ value: 'abc', cursor: 1 }, ev('', { delete: true }))).toEqual({ value: 'ac', cursor: 1 });
    expect(editText({ value: 'a😀b', cursor: 1 }, ev('', { delete: true }))).toEqual({ value: 'ab', cursor: 1 });
    expect(editText({ value: 'abc', cursor: 3 }, ev('', { delete: true }))).toEqual({ value: 'abc', cursor: 3 });
  });
  it('moves by whole characters, even astral ones', () => {
    expect(editText({ value: 'a😀b', cursor: 3 }, ev('', { leftArrow: true }))).toEqual({ value: 'a😀b', cursor: 1 });
    expect(editText({ value: 'a😀b', cursor: 1 }, ev('', { rightArrow: true }))).toEqual({ value: 'a😀b', cursor: 3 });
  });
  it('jumps with Home/End and Ctrl+A/Ctrl+E, clears with Ctrl+U', () => {
    expect(editText({ value: 'abc', cursor: 2 }, ev('', { home: true }))?.cursor).toBe(0);
    expect(editText({ value: 'abc', cursor: 0 }, ev('e', { ctrl: true }))?.cursor).toBe(3);
    expect(editText({ value: 'abc', cursor: 2 }, ev('u', { ctrl: true }))).toEqual({ value: '', cursor: 0 });
  });
  it('leaves command keys to the caller', () => {
    expect(editText({ value: 'a', cursor: 1 }, ev('', { return: true }))).toBeNull();
    expect(editText({ value: 'a', cursor: 1 }, ev('', { tab: true }))).toBeNull();
    expect(editText({ value: 'a', cursor: 1 }, ev('n', { ctrl: true }))).toBeNull();
  });
  it('inserts pasted text without its control characters, within the length limit', () => {
    expect(editText({ value: '', cursor: 0 }, ev('a\u0007b', {}, true), { maxLength: 10 })).toEqual({ value: 'ab', cursor: 2 });
    expect(editText({ value: 'abc', cursor: 3 }, ev('defgh'), { maxLength: 5 })).toEqual({ value: 'abcde', cursor: 5, cut: 3 });
  });
  it('keeps the line breaks of a paste in a multi-line text, spaces elsewhere', () => {
    expect(editText({ value: '', cursor: 0 }, ev('un\ndeux\n\ntrois', {}, true), { maxLength: 100, multiline: true })).toEqual({ value: 'un\ndeux\n\ntrois', cursor: 14 });
    expect(editText({ value: '', cursor: 0 }, ev('un\ndeux', {}, true), { maxLength: 100 })).toEqual({ value: 'un deux', cursor: 7 });
  });
});

describe('visibleSlice', () => {
  it('shows everything that fits', () => {
    expect(visibleSlice('abc', 1, 10)).toEqual({ text: 'abc', cursor: 1 });
  });
  it('scrolls so the cursor stays in view', () => {
    expect(visibleSlice('abcdefghij', 10, 4)).toEqual({ text: 'hij', cursor: 3 });
    expect(visibleSlice('abcdefghij', 0, 4)).toEqual({ text: 'abcd', cursor: 0 });
  });
});

describe('TextField', () => {
  it('shows the start of a long value when not focused, the part around the cursor when focused', () => {
    const value = '12 rue des Lilas, bâtiment B, escalier 3';
    expect(render(<TextField label="Rue" value={value} width={20} />).lastFrame()).toContain('[12 rue des Lilas, bâ]');
    expect(render(<TextField label="Rue" value={value} width={20} focused />).lastFrame()).toContain('iment B, escalier 3');
  });
  it('masks a password, one bullet per character', () => {
    const ui = render(<TextField label="Mot de passe" value="sécrét" masked width={10} />);
    expect(ui.lastFrame()).toContain('[••••••    ]');
    expect(ui.lastFrame()).not.toContain('sécrét');
  });
  it('shows its error beside it and marks focus', () => {
    const ui = render(<TextField label="Email" value="x" focused error="Adresse email invalide" width={10} />);
    expect(ui.lastFrame()).toMatch(/› Email\s+\[x\s*\] ✗ Adresse email invalide/);
  });
});
