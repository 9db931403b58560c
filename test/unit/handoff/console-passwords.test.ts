import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, hashPassword, passwordProblem, verifyPassword } from '../../../src/handoff/advisors/console/passwords.js';

describe('console passwords', () => {
  it('hashes with argon2id (OWASP parameters) and a fresh salt each time', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct');
  });

  it('verifies the right password only', async () => {
    const stored = await hashPassword('correct horse battery');
    await expect(verifyPassword(stored, 'correct horse battery')).resolves.toBe(true);
    await expect(verifyPassword(stored, 'correct horse batterY')).resolves.toBe(false);
    await expect(verifyPassword(stored, '')).resolves.toBe(false);
  });

  it('treats the same password in another Unicode normal form as the same', async () => {
    const stored = await hashPassword('Kaffee café Straße'.normalize('NFD'));
    await expect(verifyPassword(stored, 'Kaffee café Straße'.normalize('NFC'))).resolves.toBe(true);
  });

  it('answers false for an unknown account or a malformed hash, after doing the work of a hash', async () => {
    const stored = await hashPassword('correct horse battery');
    const timed = async (run: () => Promise<boolean>) => {
      const start = performance.now();
      const result = await run();
      return { result, ms: performance.now() - start };
    };
    // One warm-up of each, then alternating rounds: a single timing on a busy machine says little.
    const known: { result: boolean; ms: number }[] = [];
    const unknown: { result: boolean; ms: number }[] = [];
    for (let round = 0; round < 6; round++) {
      known.push(await timed(() => verifyPassword(stored, 'wrong password here')));
      unknown.push(await timed(() => verifyPassword(undefined, 'wrong password here')));
    }
    expect([...known, ...unknown].every((attempt) => attempt.result === false)).toBe(true);
    const median = (runs: { ms: number }[]) => runs.slice(1).map((run) => run.ms).sort((a, b) => a - b)[2]!;
    // Same order of magnitude: an unknown name is not answered instantly (a hash takes milliseconds, a bare "false" microseconds).
    expect(median(unknown)).toBeGreaterThan(median(known) / 4);
    await expect(verifyPassword('$argon2id$nonsense', 'x')).resolves.toBe(false);
  });

  it('refuses short passwords and surrounding spaces, counting characters not bytes', () => {
    expect(passwordProblem('short')).toMatch(new RegExp(`at least ${MIN_PASSWORD_LENGTH}`));
    expect(passwordProblem(' twelve chars long ')).toMatch(/spaces/);
    expect(passwordProblem('🔑'.repeat(11))).toMatch(/at least/);
    expect(passwordProblem('correct horse battery')).toBeUndefined();
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most/);
  });
});
