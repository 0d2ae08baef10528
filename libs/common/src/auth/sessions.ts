/**
 * Whether a token's session is still current: its user exists, is not disabled, and the token
 * carries the user's present token version (logout, password change and disabling increase it).
 * common knows no users table; the organizations module provides the implementation.
 */
export abstract class SessionValidator {
  abstract isCurrent(userId: number, tokenVersion: number): Promise<boolean>;
}
