import { describe, expect, it } from 'vitest';
import { askBack, back, clearNotice, saved, notify, push, replaceTop, reset, setDirty } from './actions';
import { currentRoute, initialState, reducer, type AppState } from './reducer';

const run = (...actions: Parameters<typeof reducer>[1][]) => actions.reduce<AppState>(reducer, initialState);

describe('reducer', () => {
  it('starts on the welcome screen and never pops it', () => {
    expect(currentRoute(initialState)).toEqual({ name: 'welcome' });
    expect(run(back()).stack).toEqual([{ name: 'welcome' }]);
  });

  it('pushes and pops routes, clearing the notice on navigation', () => {
    const s = run(push({ name: 'login' }), notify('oops', 'error'), push({ name: 'home' }));
    expect(currentRoute(s).name).toBe('home');
    expect(s.notice).toBeNull();
    const popped = reducer(reducer(s, notify('x')), back());
    expect(currentRoute(popped).name).toBe('login');
    expect(popped.notice).toBeNull();
  });

  it('saved goes back and has the list below select the saved contact', () => {
    const anne = { id: 7, nom: 'Abel' } as Parameters<typeof saved>[0];
    const s = run(push({ name: 'home' }), push({ name: 'contacts', query: '', selected: 40 }), push({ name: 'contactForm' }), saved(anne));
    expect(currentRoute(s)).toEqual({ name: 'contacts', query: '', selected: 40, focus: anne });
    // From the home menu's « add », there is no list to tell.
    expect(currentRoute(run(push({ name: 'home' }), push({ name: 'contactForm' }), saved(anne)))).toEqual({ name: 'home' });
  });

  it('replaceTop keeps the rest of the stack', () => {
    const s = run(push({ name: 'home' }), push({ name: 'contacts' }), replaceTop({ name: 'contacts', query: 'dup', selected: 4 }));
    expect(s.stack).toEqual([{ name: 'welcome' }, { name: 'home' }, { name: 'contacts', query: 'dup', selected: 4 }]);
  });

  it('reset replaces the stack and forgets dirty forms', () => {
    const s = run(push({ name: 'login' }), setDirty('login', true), reset({ name: 'home' }));
    expect(s.stack).toEqual([{ name: 'home' }]);
    expect(s.dirty).toEqual([]);
  });

  it('keeps a notice across reset (the server message after login shows on home)', () => {
    const s = run(notify('connexion réussie.'), reset({ name: 'home' }));
    expect(s.notice?.text).toBe('connexion réussie.');
    expect(reducer(s, clearNotice()).notice).toBeNull();
  });

  it('quits at once when nothing is unsaved', () => {
    const s = run({ type: 'askQuit' });
    expect(s.quitting).toBe(true);
    expect(s.confirmingQuit).toBe(false);
  });

  it('asks first when a form holds unsaved input, and can be cancelled', () => {
    const asked = run(setDirty('form', true), { type: 'askQuit' });
    expect(asked.confirmingQuit).toBe(true);
    expect(asked.quitting).toBe(false);
    expect(reducer(asked, { type: 'cancelQuit' }).confirmingQuit).toBe(false);
    expect(reducer(asked, { type: 'quit' }).quitting).toBe(true);
  });

  it('going back over unsaved input: asked by one owner, then cancelled or agreed to (each agreement a new discard)', () => {
    const asked = run(setDirty('form', true), askBack('esc-1'));
    expect(asked.confirmingBack).toBe('esc-1');
    expect(reducer(asked, { type: 'cancelBack' })).toMatchObject({ confirmingBack: null, discarded: null });
    const agreed = reducer(asked, { type: 'confirmBack' });
    expect(agreed).toMatchObject({ confirmingBack: null, discarded: { owner: 'esc-1', seq: 1 } });
    expect(reducer(reducer(agreed, askBack('esc-1')), { type: 'confirmBack' }).discarded).toEqual({ owner: 'esc-1', seq: 2 });
    // Nothing asked: nothing to agree to.
    expect(reducer(initialState, { type: 'confirmBack' })).toBe(initialState);
  });

  it('tracks dirty owners independently', () => {
    const s = run(setDirty('a', true), setDirty('b', true), setDirty('a', false));
    expect(s.dirty).toEqual(['b']);
    expect(reducer(s, setDirty('b', true))).toBe(s);
  });
});
