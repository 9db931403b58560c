import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, build, isFresh } from '../../../scripts/build.mjs';

/** A small project with the repository's compiler settings, built by scripts/build.mjs into its own dist/. */
let root: string;
const quiet = { log: () => undefined };
const write = (rel: string, text: string, mtime?: Date) => {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (mtime) utimesSync(file, mtime, mtime);
};
let round = 0;
/** Imports a compiled module afresh (a new URL each time, so that node does not hand back the first one; its imports stay cached). */
const load = async (rel: string) => (await import(`${pathToFileURL(path.join(root, 'dist', rel)).href}?${++round}`)) as Record<string, unknown>;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'lotse-build-'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json']) copyFileSync(path.join(ROOT, file), path.join(root, file));
  write('package.json', JSON.stringify({ type: 'module' }));
  write('src/a.ts', "import { b } from './lib/b.js';\nimport type { Shape } from './lib/shape.js';\nexport const a: number = b + 1;\nexport const shape: Shape = { sides: 3 };\n");
  write('src/lib/b.ts', 'export const b: number = 41;\n');
  write('src/lib/shape.ts', 'export interface Shape { sides: number }\n');
  write('src/data/words.json', '{"hello":"Hallo"}');
  write('src/README.md', '# not shipped');
  write('src/bench/heavy.ts', "import '../../test/helpers/nothing.js';\n");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scripts/build.mjs (npm run build, prepare, and the check before every npm start)', () => {
  it('compiles src/ to ES modules in dist/ at the same depth, copies other files, leaves out docs and benchmarks', async () => {
    expect(isFresh(root)).toBe(false);
    expect(build({ root, ...quiet })).toEqual({ compiled: 3, copied: 1, removed: 0 });
    expect(await load('a.js')).toMatchObject({ a: 42, shape: { sides: 3 } });
    expect(JSON.parse(readFileSync(path.join(root, 'dist/data/words.json'), 'utf8'))).toEqual({ hello: 'Hallo' });
    expect(existsSync(path.join(root, 'dist/README.md'))).toBe(false);
    expect(existsSync(path.join(root, 'dist/bench/heavy.js'))).toBe(false);
    expect(isFresh(root)).toBe(true);
    expect(build({ root, ...quiet })).toEqual({ compiled: 0, copied: 0, removed: 0 });
  });

  it('finds an edited source stale and compiles only that file again', async () => {
    write('src/lib/b.ts', 'export const b: number = 99;\n', new Date(Date.now() + 5_000));
    expect(isFresh(root)).toBe(false);
    expect(build({ root, ...quiet })).toEqual({ compiled: 1, copied: 0, removed: 0 });
    expect(await load('lib/b.js')).toMatchObject({ b: 99 });
  });

  it('notices a file added with an old mtime (copied in), and removes the output of a deleted source', () => {
    write('src/lib/old.ts', 'export const old = 1;\n', new Date('2020-01-01'));
    expect(isFresh(root)).toBe(false);
    expect(build({ root, ...quiet }).compiled).toBe(1);
    rmSync(path.join(root, 'src/lib/old.ts'));
    expect(isFresh(root)).toBe(false);
    expect(build({ root, ...quiet })).toEqual({ compiled: 0, copied: 0, removed: 1 });
    expect(existsSync(path.join(root, 'dist/lib/old.js'))).toBe(false);
  });

  it('compiles everything again when the compiler settings change', () => {
    const config = path.join(root, 'tsconfig.build.json');
    writeFileSync(config, `${readFileSync(config, 'utf8')}\n`);
    expect(isFresh(root)).toBe(false);
    expect(build({ root, ...quiet }).compiled).toBe(3);
  });

  it('refuses source that does not parse, and leaves dist/ stale so that it is not run', () => {
    write('src/broken.ts', 'export const = ;\n');
    expect(() => build({ root, ...quiet })).toThrow(/cannot compile:\nsrc\/broken\.ts/);
    expect(isFresh(root)).toBe(false);
    rmSync(path.join(root, 'src/broken.ts'));
  });
});
