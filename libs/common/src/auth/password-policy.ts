/**
 * The password policy (issue 8): at least 10 characters, at most 256 bytes of UTF-8.
 * Passwords are hashed with argon2id, which reads every byte (bcrypt, which silently cut at
 * 72 bytes, now only verifies hashes made before); the maximum only bounds the work a
 * request can ask of the hasher.
 */
export const PASSWORD_MIN_CHARACTERS = 10;
export const PASSWORD_MAX_BYTES = 256;

/** Why a new password is refused, or null when it is acceptable. Characters are code points. */
export function passwordPolicyProblem(password: string): string | null {
  const characters = [...password].length;
  if (characters < PASSWORD_MIN_CHARACTERS) return `a password must have at least ${PASSWORD_MIN_CHARACTERS} characters, got ${characters}`;
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > PASSWORD_MAX_BYTES) return `a password must be at most ${PASSWORD_MAX_BYTES} bytes of UTF-8, got ${bytes}`;
  if (password.trim() === '') return 'a password must not be only spaces';
  return null;
}
