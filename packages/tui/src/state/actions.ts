import type { Contact } from '@annuaire/protocol';

/** Where the user is. The stack's top is on screen; Esc pops it. */
export type Route =
  | { name: 'welcome' }
  | { name: 'createAccount' }
  | { name: 'login'; username?: string }
  | { name: 'home' }
  | { name: 'search' }
  /** query and selected are kept here while the contact form is on top, to come back to the same place. */
  | { name: 'contacts'; query?: string; selected?: number; focus?: Contact }
  /** `draft`: values typed before the session ended, restored once logged in again (unsaved, ready to save). */
  | { name: 'contactForm'; contact?: Contact; draft?: Record<string, string> }
  | { name: 'transfer' }
  | { name: 'account' };

export type RouteName = Route['name'];

/** A contact form's unsaved input, kept across the end of a session. */
export interface Draft {
  contact?: Contact;
  values: Record<string, string>;
}

export interface Notice {
  text: string;
  tone: 'info' | 'error';
}

export type Action =
  | { type: 'push'; route: Route }
  | { type: 'back' }
  /** A contact was saved: back from its form; the list below (if any) then selects that contact, wherever it now sorts. */
  | { type: 'saved'; contact: Contact }
  /** Updates the route on top (a screen saving where it is before pushing another). */
  | { type: 'replaceTop'; route: Route }
  /** Replaces the whole stack: after login (home), logout or account deletion (welcome). */
  | { type: 'reset'; routes: Route[] }
  | { type: 'notice'; notice: Notice | null }
  /** A form reports whether it holds unsaved input (Ctrl+C asks first when it does). */
  | { type: 'dirty'; owner: string; dirty: boolean }
  /** Esc from a screen whose form holds unsaved input: ask before going back (`owner`: who asked). */
  | { type: 'askBack'; owner: string }
  | { type: 'cancelBack' }
  /** The user agreed to lose the input: the asker goes back when it sees `discarded` change. */
  | { type: 'confirmBack' }
  /** The session ended elsewhere: to the login form (`username` filled in), keeping `draft` for after. */
  | { type: 'sessionEnded'; username: string; notice: Notice; draft: Draft | null }
  /** Logged in: home, or the form of a draft kept from `username`'s ended session. */
  | { type: 'loggedIn'; username: string; notice: Notice; restoredNotice: Notice }
  /** The help of the current screen (F1 or ?), over it. */
  | { type: 'help'; open: boolean }
  | { type: 'askQuit' }
  | { type: 'cancelQuit' }
  | { type: 'quit' };

export const push = (route: Route): Action => ({ type: 'push', route });
export const replaceTop = (route: Route): Action => ({ type: 'replaceTop', route });
export const back = (): Action => ({ type: 'back' });
export const reset = (...routes: Route[]): Action => ({ type: 'reset', routes });
export const notify = (text: string, tone: Notice['tone'] = 'info'): Action => ({ type: 'notice', notice: { text, tone } });
export const clearNotice = (): Action => ({ type: 'notice', notice: null });
export const setDirty = (owner: string, dirty: boolean): Action => ({ type: 'dirty', owner, dirty });
export const askBack = (owner: string): Action => ({ type: 'askBack', owner });
export const saved = (contact: Contact): Action => ({ type: 'saved', contact });
