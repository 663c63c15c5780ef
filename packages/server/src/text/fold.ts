// The fold lives in the protocol package, so that clients (the TUI's match highlighting, its
// sorted-list lookups) fold exactly as the index does.
export { fold } from '@annuaire/protocol';
