import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** Runs `npm run ask` as a user would (through tsx), against the index the test setup built. */
const ask = (...args: string[]) => runCli('src/cli/ask.ts', args, { DATA_DIR: path.dirname(inject('indexDir')) });

describe('npm run ask', () => {
  it('answers the points question with the rule and its cited source', async () => {
    const { code, stdout } = await ask('How many points do I need for the Opportunity Card?');
    expect(code).toBe(0);
    expect(stdout).toMatch(/at least 6 points/i);
    expect(stdout).toContain('https://');
    expect(stdout).toMatch(/as of 2026-\d\d-\d\d/);
  });

  it('prints exactly the contract object with --json', async () => {
    const { code, stdout } = await ask('--json', 'Wie viele Punkte brauche ich für die Chancenkarte?');
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(['answer', 'escalate', 'language', 'reason', 'sources']);
    expect(answer).toMatchObject({ language: 'de', escalate: false, reason: null });
    const sources = answer.sources as Record<string, string>[];
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(Object.keys(source).sort()).toEqual(['asOf', 'id', 'title', 'url']);
      expect(source.url).toMatch(/^https:\/\//);
    }
    expect(sources[0]!.id).toMatch(/^opportunity-card-points/);
    expect(answer.answer).toContain('Quellen');
  });

  it('says honestly, in the asked language, that an out-of-scope question is not its subject, and hands nothing over', async () => {
    const { stdout } = await ask('--json', '--lang', 'es', '¿Cuál es la mejor receta de paella?');
    const answer = JSON.parse(stdout);
    expect(answer).toMatchObject({ language: 'es', escalate: false, reason: null, sources: [] });
    expect(answer.answer).toMatch(/Alemania/);
  });

  it('rejects bad usage with a clear message and exit code 2', async () => {
    const noQuestion = await ask('--json');
    expect(noQuestion.code).toBe(2);
    expect(noQuestion.stderr).toContain('No question given');
    const badLang = await ask('--lang', 'xx', 'hello');
    expect(badLang.code).toBe(2);
    expect(badLang.stderr).toContain('--lang xx is not one of');
    const unknown = await ask('--nope', 'hello');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage: npm run ask');
  });
});
