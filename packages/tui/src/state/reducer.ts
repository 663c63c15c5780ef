import type { Action, Draft, Notice, Route } from './actions';

export interface AppState {
  stack: Route[];
  notice: Notice | null;
  /** Owners (form ids) that hold unsaved input. */
  dirty: string[];
  confirmingQuit: boolean;
  /** Who asked to go back while a form held unsaved input (the dialog is open while set). */
  confirmingBack: string | null;
  /** The last agreed discard: its asker goes back. `seq` tells one discard from the next. */
  discarded: { owner: string; seq: number } | null;
  quitting: boolean;
  /** The unsaved contact form of a session that ended elsewhere, and whose it was. */
  pendingDraft: { username: string; draft: Draft } | null;
  helpOpen: boolean;
}

export const initialState: AppState = { stack: [{ name: 'welcome' }], notice: null, dirty: [], confirmingQuit: false, confirmingBack: null, discarded: null, quitting: false, pendingDraft: null, helpOpen: false };

export const currentRoute = (state: AppState): Route => state.stack[state.stack.length - 1] ?? { name: 'welcome' };

/** Pure: every side effect (requests, exiting) happens in effects that watch this state. */
export function reducer(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'help':
      return { ...state, helpOpen: action.open };
    case 'push':
      return { ...state, stack: [...state.stack, action.route], notice: null };
    case 'back':
      return state.stack.length > 1 ? { ...state, stack: state.stack.slice(0, -1), notice: null } : state;
    case 'saved': {
      if (state.stack.length <= 1) return state;
      const stack = state.stack.slice(0, -1);
      const top = stack[stack.length - 1]!;
      if (top.name === 'contacts') stack[stack.length - 1] = { ...top, focus: action.contact };
      return { ...state, stack, notice: null };
    }
    case 'replaceTop':
      return { ...state, stack: [...state.stack.slice(0, -1), action.route] };
    case 'reset':
      return { ...state, stack: action.routes.length > 0 ? action.routes : initialState.stack, dirty: [], helpOpen: false };
    case 'notice':
      return { ...state, notice: action.notice };
    case 'dirty': {
      const has = state.dirty.includes(action.owner);
      if (has === action.dirty) return state;
      return { ...state, dirty: action.dirty ? [...state.dirty, action.owner] : state.dirty.filter((o) => o !== action.owner) };
    }
    case 'askBack':
      return { ...state, confirmingBack: action.owner };
    case 'cancelBack':
      return { ...state, confirmingBack: null };
    case 'confirmBack':
      if (state.confirmingBack === null) return state;
      return { ...state, confirmingBack: null, discarded: { owner: state.confirmingBack, seq: (state.discarded?.seq ?? 0) + 1 } };
    case 'sessionEnded':
      return {
        ...state,
        stack: [{ name: 'welcome' }, { name: 'login', username: action.username }],
        dirty: [],
        confirmingBack: null,
        confirmingQuit: false,
        helpOpen: false,
        notice: action.notice,
        pendingDraft: action.draft ? { username: action.username, draft: action.draft } : state.pendingDraft,
      };
    case 'loggedIn': {
      const pending = state.pendingDraft;
      // Usernames are unique whatever their case: the server says which one logged in.
      if (!pending || pending.username.toLowerCase() !== action.username.toLowerCase()) return { ...state, stack: [{ name: 'home' }], notice: action.notice, pendingDraft: null };
      const { contact, values } = pending.draft;
      return { ...state, stack: [{ name: 'home' }, { name: 'contactForm', ...(contact ? { contact } : {}), draft: values }], notice: action.restoredNotice, pendingDraft: null };
    }
    case 'askQuit':
      // Nothing unsaved: quit straight away.
      return state.dirty.length > 0 ? { ...state, confirmingQuit: true } : { ...state, quitting: true };
    case 'cancelQuit':
      return { ...state, confirmingQuit: false };
    case 'quit':
      return { ...state, confirmingQuit: false, quitting: true };
  }
}
