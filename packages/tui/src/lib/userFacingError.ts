/** A failure the user can act on, worded for them: shown as is (no "unexpected error" around it). */
export class UserFacingError extends Error {}
