import { z } from 'zod';

/**
 * Usernames: 3 to 32 characters, letters (any script), digits, ".", "_" and "-",
 * starting with a letter or digit, and no invisible (default-ignorable) character such as
 * U+034F or a variation selector, which would make a look-alike of an existing name.
 * The server stores them NFC-normalized and compares them by NFKC, case folding and the
 * confusable skeleton (UTS #39), so "Élise", "élise" and "ｅｌｉｓｅ" are one account.
 */
export const USERNAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}._-]*$/u;
export const NO_INVISIBLE_CHARACTERS = /^\P{Default_Ignorable_Code_Point}*$/u;
export const Username = z
  .string()
  .min(3, { error: 'username_too_short' })
  .max(32, { error: 'username_too_long' })
  .regex(NO_INVISIBLE_CHARACTERS, { error: 'username_invisible_characters' })
  .regex(USERNAME_PATTERN, { error: 'username_invalid_characters' });

/** NIST SP 800-63B: at least 8 characters; a generous upper bound keeps hashing cheap. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const Password = z
  .string()
  .min(PASSWORD_MIN, { error: 'password_too_short' })
  .max(PASSWORD_MAX, { error: 'password_too_long' });
/** A password being checked, not chosen: only bounded, so old rules never lock anyone out. */
export const PasswordAttempt = z.string().min(1).max(PASSWORD_MAX);

export const Account = z.object({ username: z.string(), created_at: z.string() });

const Session = z.object({
  username: z.string(),
  /** Opaque token to resume this session on a new connection (resume_session). */
  session_token: z.string(),
  message: z.string(),
});

export const accounts = {
  create_account: {
    params: z.strictObject({ username: Username, password: Password }),
    result: z.object({ username: z.string(), message: z.string() }),
  },
  login: {
    params: z.strictObject({ username: z.string().min(1).max(64), password: PasswordAttempt }),
    result: Session,
  },
  resume_session: {
    params: z.strictObject({ session_token: z.string().min(1).max(128) }),
    result: Session,
  },
  logout: {
    params: z.strictObject({}),
    result: z.object({ message: z.string() }),
  },
  whoami: {
    params: z.strictObject({}),
    result: z.object({ username: z.string(), created_at: z.string(), contact_count: z.number().int() }),
  },
  change_password: {
    params: z.strictObject({ old_password: PasswordAttempt, new_password: Password }),
    result: z.object({ message: z.string() }),
  },
  delete_account: {
    params: z.strictObject({ password: PasswordAttempt }),
    result: z.object({ message: z.string(), deleted_contacts: z.number().int() }),
  },
} as const;
