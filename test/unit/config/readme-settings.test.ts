import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../../src/config/env-schema.js';

describe("the README's settings", () => {
  it('names every setting Lotse reads in its tables (NODE_ENV is Node’s own)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    // A row's first cell names one setting or several ("`PORT`, `HOST`").
    const named = new Set([...readme.matchAll(/^\|([^|]+)\|/gm)].flatMap((row) => [...row[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((name) => name[1]!)));
    expect(Object.keys(envSchema.shape).filter((name) => name !== 'NODE_ENV' && !named.has(name))).toEqual([]);
  });
});
