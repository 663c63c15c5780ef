import type { MessageKey } from './fr';

/** Every user-facing string in English. Same keys as fr.ts (a test checks it). */
export const en: Record<MessageKey, string> = {
  'app.title': 'Directory',
  'app.server': 'Server {address}',
  'app.serverEmbedded': 'Embedded server {address} (data: {dataDir})',

  'status.connecting': 'connecting…',
  'status.online': 'connected',
  'status.reconnecting': 'reconnecting…',
  'status.offline': 'offline',
  'status.anonymous': 'not logged in',

  'conn.unreachable': 'Cannot reach the server {address}.',
  'conn.unreachableHint': 'Check that the server is running, then press R to retry.',
  'conn.lost': 'Connection to {address} lost. Reconnecting in {seconds} s…',
  'conn.notConnected': 'Not connected to the server: nothing was sent. Try again once reconnected.',
  'conn.droppedDuringRequest': 'The connection dropped while sending: check the result before trying again.',
  'conn.sessionExpired': 'Your session has expired. Please log in again.',
  'conn.goodbye': 'The server closed the connection: {message}',

  'tls.on': 'TLS',
  'tls.firstUse': 'Server certificate pinned (first connection): SHA-256 {fingerprint}',
  'tls.changed': 'The certificate of the server {address} changed: someone may be impersonating it. Connection refused.',
  'tls.changedHint': 'If the change is expected, remove the line for {address} from {file}, then press R.',
  'keys.title': 'Keys',
  'keys.arrows': '↑↓ choose',
  'keys.enter': 'Enter select',
  'keys.digits': '1-{max} shortcut',
  'keys.tab': 'Tab/Shift+Tab field',
  'keys.esc': 'Esc back',
  'keys.quit': 'Ctrl+C quit',
  'keys.retry': 'R retry',
  'keys.page': 'PgUp/PgDn page',
  'keys.type': 'type to filter',
  'keys.edit': 'Enter edit',
  'keys.new': 'Ctrl+N new',
  'keys.delete': 'Ctrl+D delete',
  'keys.save': 'Enter save',
  'keys.yesNo': 'Y yes · N no',
  'keys.retryCtrl': 'Ctrl+R retry',
  'keys.home': 'Home/End',
  'keys.enterNext': 'Enter next field',
  'keys.submit': 'Ctrl+S submit',
  'keys.clearFilter': 'Esc clear filter',

  'welcome.heading': 'Welcome to your contact directory',
  'welcome.create': 'Create an account',
  'welcome.login': 'Log in',
  'welcome.quit': 'Quit',

  'create.heading': 'Create an account',
  'create.username': 'Username',
  'create.password': 'Password',
  'create.confirm': 'Confirm password',
  'create.submit': 'Create account',
  'create.created': 'Account created. You can now log in.',

  'login.heading': 'Log in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Log in',

  'home.heading': 'Main menu',
  'home.search': 'Find a contact (last and first name)',
  'home.contacts': 'My contacts',
  'home.add': 'Add a contact',
  'home.account': 'My account',
  'home.logout': 'Log out',
  'home.quit': 'Quit',

  'search.heading': 'Find a contact',
  'search.nom': 'Last name',
  'search.prenom': 'First name',
  'search.submit': 'Search',
  'search.notFound': 'Contact not found in the directory.',
  'search.found': '{count} contact(s) found:',

  'contacts.heading': 'My contacts',
  'contacts.count': '{count} contact(s)',
  'contacts.filtered': '{count} result(s) for “{query}”',
  'contacts.filter': 'Filter',
  'contacts.filterEmpty': '(type to filter)',
  'contacts.empty': 'No contacts yet. Ctrl+N to add one.',
  'contacts.noMatch': 'No contact matches.',
  'contacts.loading': 'loading…',
  'contacts.confirmDelete': 'Delete “{name}”? This cannot be undone.',
  'contacts.deleted': 'Contact deleted.',

  'field.nom': 'Last name',
  'field.prenom': 'First name',
  'field.email': 'Email',
  'field.telephone': 'Phone',
  'field.entreprise': 'Company',
  'field.fonction': 'Job title',
  'field.adresse': 'Address',
  'field.anniversaire': 'Birthday',
  'field.notes': 'Notes',

  'form.addHeading': 'New contact',
  'form.editHeading': 'Edit contact',
  'form.submit': 'Save',
  'form.saved': 'Contact saved.',
  'form.added': 'Contact added.',
  'form.unchanged': 'Nothing to save.',
  'form.waiting': 'Sending…',
  'form.fixErrors': 'Fix the highlighted fields.',

  'conflict.heading': 'This contact was changed elsewhere while you were editing it.',
  'conflict.changes': 'Changes on the server:',
  'conflict.row': '{field}: “{base}” → “{server}” (yours: “{mine}”)',
  'conflict.deleted': 'This contact was deleted on the server.',
  'conflict.keepMine': 'Keep my changes',
  'conflict.takeServer': "Take the server's version",
  'conflict.empty': '(empty)',

  'account.heading': 'My account',
  'account.info': 'Logged in as {username} · {count} contact(s) · account created on {created}',
  'account.changePassword': 'Change password',
  'account.delete': 'Delete account',
  'account.logout': 'Log out',
  'account.oldPassword': 'Current password',
  'account.newPassword': 'New password',
  'account.confirmPassword': 'Confirm new password',
  'account.passwordChanged': 'Password changed.',
  'account.deleteHeading': 'Delete account',
  'account.deleteWarning': 'Your account and its {count} contact(s) will be erased for good. This cannot be undone.',
  'account.deletePassword': 'Password (to confirm)',
  'account.deleteSubmit': 'Delete for good',
  'account.confirmDelete': 'Last confirmation: delete the account {username}?',
  'account.deleted': 'Account deleted ({count} contact(s) erased).',
  'account.loggedOut': 'You are logged out.',

  'confirm.yes': 'Yes',
  'confirm.no': 'No',
  'quit.confirm': 'A form holds unsaved input. Quit anyway?',

  'validation.required': 'Required',
  'validation.username_too_short': 'At least 3 characters',
  'validation.username_too_long': 'At most 32 characters',
  'validation.username_invalid_characters': 'Letters, digits, “.”, “_” and “-” only, starting with a letter or digit',
  'validation.password_too_short': 'At least 8 characters',
  'validation.password_too_long': 'At most 256 characters',
  'validation.password_mismatch': 'The passwords do not match',
  'validation.nom_required': 'The last name is required',
  'validation.email_invalid': 'Invalid email address',
  'validation.phone_invalid': 'Invalid phone number',
  'validation.too_long': 'Too long',
  'validation.invalid': 'Invalid value',

  'punct.colon': ': ',
  'error.unexpected': 'Unexpected error: {message}',

  'cli.needsTty': 'annuaire needs an interactive terminal (stdin and stdout must be a TTY).',
  'cli.embeddedFailed': 'Could not start the embedded server: {message}',
  'help.usage': `Usage: annuaire [options]

Opens the contact directory full screen in the terminal.

Options:
  --host HOST     server address (default 127.0.0.1)
  --port PORT     server port (default 7878)
  --lang fr|en    interface language (default: from LANG, else fr)
  --tls           encrypt the connection (TLS); an unknown certificate is
                  pinned on first use (~/.config/annuaire/known_hosts)
  --help          show this help

Without --host, --port or --tls, when no server answers on 127.0.0.1:7878,
a server is started in the same process on the data/ folder.`,
  'help.badOption': 'Invalid option: {message}',
};
