import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** Argon2id (the algorithm's enum is a const enum, which isolated modules cannot read: 2 is Argon2id). */
const ARGON2ID = 2 as Algorithm;

/**
 * OWASP's recommended minimum for argon2id (19 MiB, 2 passes, 1 lane): about 20-40 ms a hash here,
 * slow enough to make guessing a stolen hash costly, fast enough for a sign-in.
 */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Long enough that guessing online (sign-ins are rate-limited) or offline (argon2id) is hopeless. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Why a password cannot be used, or undefined when it can. */
export function passwordProblem(password: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `the password must have at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() !== password) return 'the password must not start or end with spaces';
  return undefined;
}

/** An argon2id hash in PHC format ($argon2id$v=19$m=…), with its own random salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), OPTIONS);
}

/**
 * Whether the password matches the hash. `undefined` (no such account) still costs one hash, so
 * that the answer's timing does not tell which account names exist. A malformed hash is a mismatch.
 */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  const candidate = password.normalize('NFC');
  if (!stored) {
    await hash(candidate, OPTIONS);
    return false;
  }
  return verify(stored, candidate).catch(() => false);
}
