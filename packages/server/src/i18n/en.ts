import type { ErrorCode } from '@annuaire/protocol';
import type { messages as frMessages } from './fr';

export const errors: Record<ErrorCode, string> = {
  bad_request: 'Unreadable request: each line must be a JSON object with "id" and "action".',
  frame_too_large: 'Request too large.',
  reply_too_large: 'The reply would be too large to send: ask for fewer contacts at a time.',
  unknown_action: 'Unknown action.',
  invalid_params: 'Invalid parameters.',
  not_authenticated: 'Please log in first.',
  username_taken: 'That username already exists. Please choose another username.',
  invalid_credentials: 'Incorrect username or password.',
  too_many_attempts: 'Too many attempts. Try again later.',
  contact_not_found: 'Contact not found in the directory.',
  quota_exceeded: 'Account quota reached.',
  resync_required: 'The change journal no longer goes back that far: reload the list.',
  version_conflict: 'This contact was changed meanwhile. Reload it before saving.',
  rate_limited: 'Too many requests. Slow down.',
  too_many_connections: 'Too many open connections.',
  idle_timeout: 'Connection closed after being idle too long.',
  storage_full: "The server's disk is full: nothing was saved. You can still delete contacts to free some space.",
  shutting_down: 'The server is shutting down.',
  unavailable: "The server's database cannot be reached right now: nothing was done. Try again in a moment.",
  internal_error: 'Internal server error.',
};

export const reasons: Record<string, string> = {
  required: 'required',
  invalid_type: 'wrong type',
  unrecognized_key: 'unexpected parameter',
  too_small: 'too short',
  too_big: 'too long',
  invalid_value: 'value not allowed',
  invalid_format: 'wrong format',
  username_too_short: 'The username must be at least 3 characters long.',
  username_too_long: 'The username must be at most 32 characters long.',
  username_invalid_characters:
    'The username may only contain letters, digits, ".", "_" and "-", and must start with a letter or a digit.',
  username_invisible_characters:
    'The username contains an invisible character (such as U+034F or a variation selector): remove it.',
  password_too_short: 'The password must be at least 8 characters long.',
  password_too_long: 'The password must be at most 256 characters long.',
  nom_required: 'The last name is required.',
  control_characters: 'Control characters are not allowed (terminal escapes and the like).',
  email_invalid: 'Invalid email address.',
  phone_invalid: 'Invalid phone number.',
  birthday_invalid: 'Invalid date (YYYY-MM-DD).',
  email_and_emails: 'Send "email" or "emails", not both.',
  telephone_and_telephones: 'Send "telephone" or "telephones", not both.',
  cursor_invalid: 'Invalid pagination cursor.',
  same_password: 'The new password must differ from the old one.',
  unreadable: 'Unreadable: the vCard or CSV reader could not read it (see the detail).',
  birthday_impossible: 'This date does not exist (such as 31 February).',
  no_identity: 'Names nobody: no name, FN, company, nickname, e-mail or phone.',
  nested_card: 'Nested card (AGENT) left out; the card holding it is imported.',
  unreadable_line: 'Unreadable line left out.',
  missing_end: 'Card without END:VCARD at the end of the file: imported as it is.',
  unknown_charset: 'Unknown character set: value read as UTF-8.',
  unknown_column: 'Column not taken: no field of the directory matches it.',
  too_many: 'Beyond 20 values: left out.',
  truncated: 'Too long: cut at 100 characters.',
  cursor_and_ids: 'Give either "cursor" or "contact_ids".',
  upload_unknown: 'No upload in progress under this id (start with import_begin).',
  control_characters_stripped: 'Control characters removed (terminal escapes and the like); the rest of the value is kept.',
  data_or_bytes: 'Give either "data" or "bytes".',
  no_vcard: 'No vCard (BEGIN:VCARD … END:VCARD) in the file.',
  no_csv_rows: 'No contact row under the CSV header.',
  duplicate: 'Already in the directory.',
  cursor_and_offset: 'Send "cursor" or "offset", not both.',
};

export const messages: typeof frMessages = {
  account_created: 'Account created. Your directory is ready.',
  login_ok: 'Logged in.',
  logout_ok: 'Logged out.',
  password_changed: 'Password changed.',
  account_deleted: 'Account and directory deleted.',
  contact_deleted: 'Contact deleted.',
  shutdown: 'The server is shutting down.',
  idle_timeout: 'Connection closed after being idle too long.',
  frame_too_large: 'Request too large: connection closed.',
  frame_timeout: 'Connection closed: a request was begun but never finished.',
  too_many_connections: 'Too many open connections.',
  too_slow: 'Connection closed: the client is not reading its replies.',
  session_logged_out_elsewhere: 'Session ended: logged out from another terminal.',
  session_password_changed: 'Session ended: the password was changed.',
  session_account_deleted: 'Session ended: the account was deleted.',
  session_expired: 'Session expired: please log in again.',
};

export const invalidParamsMessage = (field: string, reason: string) =>
  field ? `Invalid parameter "${field}": ${reason}` : `Invalid parameters: ${reason}`;

export const quotaMessage = (kind: 'contacts' | 'bytes', limit: number) =>
  kind === 'contacts'
    ? `Quota reached: an annuaire holds at most ${limit.toLocaleString('en-GB')} contacts. Delete some to add more.`
    : `Quota reached: an annuaire may take at most ${Math.floor(limit / 1048576).toLocaleString('en-GB')} MiB. Delete contacts to free space.`;
