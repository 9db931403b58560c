// Compiles src/ to dist/ (plain JavaScript that `node` runs without a TypeScript loader) and copies
// the non-TypeScript files beside it (locales, training data, JSON). Only what changed since the
// last build is compiled again: dist/.build.json records every source file's size and mtime.
//
//   node scripts/build.mjs            # build what is stale (npm run build)
//   node scripts/build.mjs --clean    # remove dist/ first
//   node scripts/build.mjs --prepare  # npm's `prepare` (npm ci, npm install): build, then make the caches
//
// The compiler is TypeScript's own, with tsconfig.build.json's options, one file at a time (the
// sources are written for that: isolatedModules and verbatimModuleSyntax are on), so the output
// equals `tsc -p tsconfig.build.json`'s. Types are checked by `npm test` / `npm run typecheck`,
// not here: a build takes seconds and never fails on a type error, as tsx never did.
//
// Without side effects on import: scripts/run.mjs imports isFresh() and build() from here.
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

/** The repository this script belongs to; every function takes another root for tests. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
/** Files whose change recompiles everything: the compiler options (and this script, below). */
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json'];
/** Not compiled: the benchmarks import test helpers and run through tsx (npm run bench). */
const NOT_COMPILED = [/^bench\//, /^cli\/bench\.ts$/, /\.d\.ts$/, /\.test\.ts$/];
/** Not copied: documentation beside the code. */
const NOT_COPIED = [/\.md$/];

const paths = (root) => ({
  src: path.join(root, 'src'),
  dist: path.join(root, 'dist'),
  manifest: path.join(root, 'dist', '.build.json'),
  lock: path.join(root, 'dist', '.build-lock'),
});

/** Every file under src/ (paths relative to src/, with /), with its size and mtime: what the build depends on. */
function sources(root) {
  const files = {};
  const walk = (dir, prefix) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix + entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${rel}/`);
      else if (entry.isFile()) {
        const stat = statSync(path.join(dir, entry.name));
        files[rel] = `${stat.size}:${Math.trunc(stat.mtimeMs)}`;
      }
    }
  };
  walk(paths(root).src, '');
  return files;
}

function configStamp(root) {
  const stamp = (file) => {
    const stat = statSync(file);
    return `${path.basename(file)}=${stat.size}:${Math.trunc(stat.mtimeMs)}`;
  };
  return [...CONFIG_FILES.map((file) => stamp(path.join(root, file))), stamp(SELF)].join(',');
}

function readManifest(root) {
  try {
    return JSON.parse(readFileSync(paths(root).manifest, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * True when dist/ holds the build of exactly the sources there are now (no file added, removed or
 * touched since, same compiler settings). Stats every file under src/: a few milliseconds.
 */
export function isFresh(root = ROOT) {
  const manifest = readManifest(root);
  if (!manifest || manifest.config !== configStamp(root)) return false;
  const now = sources(root);
  const before = manifest.sources;
  const names = Object.keys(now);
  if (names.length !== Object.keys(before).length) return false;
  return names.every((name) => before[name] === now[name]);
}

/** Writes a file so that a process reading it meanwhile sees the old or the new one, never half. */
function writeAtomic(file, content) {
  mkdirSync(path.dirname(file), { recursive: true });
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, content);
  renameSync(staging, file);
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One build at a time (several processes may start on a stale dist/ at once); a lock older than 2 minutes is a dead builder's. */
function withLock(root, fn) {
  const { dist, lock } = paths(root);
  mkdirSync(dist, { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (waited > 180_000) throw new Error(`${lock} is held by another build for 3 minutes; remove it if no build runs`);
      sleep(100);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** TypeScript, from the repository's dependencies (a dev dependency: missing after npm ci --omit=dev). */
function typescript(root) {
  for (const from of [path.join(root, 'package.json'), SELF]) {
    try {
      return createRequire(from)('typescript');
    } catch {
      // next
    }
  }
  return undefined;
}

/** The TypeScript compiler's options from tsconfig.build.json, for compiling one file at a time. */
function compilerOptions(ts, root) {
  const file = path.join(root, 'tsconfig.build.json');
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } };
  const parsed = ts.getParsedCommandLineOfConfigFile(file, {}, host);
  if (!parsed) throw new Error(`cannot read ${file}`);
  // Compiled alone, a file cannot see package.json's "type": "module", which makes NodeNext emit ES
  // modules here; ES2022 is what NodeNext emits for them. (Module resolution plays no part in
  // compiling one file; Bundler is the one ES2022 accepts.)
  return { ...parsed.options, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler };
}

/**
 * Brings dist/ up to date with src/: compiles the .ts files that changed, copies the other files
 * that changed, removes what no longer has a source. Returns what it did.
 */
export function build({ root = ROOT, clean = false, log = (line) => console.error(line) } = {}) {
  const { src, dist, manifest } = paths(root);
  if (clean) rmSync(dist, { recursive: true, force: true });
  return withLock(root, () => {
    if (isFresh(root)) return { compiled: 0, copied: 0, removed: 0 };
    const started = performance.now();
    const ts = typescript(root);
    if (!ts) {
      throw new Error('dist/ is not up to date with src/, and TypeScript, which compiles it, is not installed (npm ci --omit=dev?): run `npm ci` (with the dev dependencies) or `npm run build` where they are');
    }
    const options = compilerOptions(ts, root);
    const config = configStamp(root);
    const old = readManifest(root);
    // Other compiler settings or another compiler: everything again.
    const previous = old && old.config === config && old.typescript === ts.version ? old.sources : {};
    const now = sources(root);
    const output = (rel) => path.join(dist, rel.endsWith('.ts') ? rel.replace(/\.ts$/, '.js') : rel);
    let compiled = 0;
    let copied = 0;
    let removed = 0;
    const problems = [];
    for (const [rel, stamp] of Object.entries(now)) {
      if (NOT_COPIED.some((re) => re.test(rel))) continue;
      const isTs = rel.endsWith('.ts');
      if (isTs && NOT_COMPILED.some((re) => re.test(rel))) continue;
      const out = output(rel);
      if (previous[rel] === stamp && existsSync(out)) continue;
      if (isTs) {
        const fileName = path.join(src, rel);
        const result = ts.transpileModule(readFileSync(fileName, 'utf8'), { compilerOptions: options, fileName, reportDiagnostics: true });
        for (const d of result.diagnostics ?? []) problems.push(`src/${rel}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
        writeAtomic(out, result.outputText);
        compiled++;
      } else {
        writeAtomic(out, readFileSync(path.join(src, rel)));
        copied++;
      }
    }
    // Sources removed or renamed: their output goes too, so that nothing imports a ghost.
    for (const rel of Object.keys(old?.sources ?? {})) {
      if (rel in now || !existsSync(output(rel))) continue;
      rmSync(output(rel), { force: true });
      removed++;
    }
    if (problems.length > 0) throw new Error(`cannot compile:\n${problems.slice(0, 20).join('\n')}`);
    writeAtomic(manifest, JSON.stringify({ config, typescript: ts.version, sources: now }));
    log(`dist/: ${compiled} compiled, ${copied} copied, ${removed} removed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { compiled, copied, removed };
  });
}

/**
 * `prepare` (npm ci / npm install): the build, then the caches every start needs (cli/warm-caches).
 * Neither stops an install: without src/ (a Docker layer that installs before copying the sources)
 * or without TypeScript (npm ci --omit=dev) there is nothing to build; a failed warm-up is redone by
 * the first start.
 */
function prepare(root = ROOT) {
  if (!existsSync(paths(root).src)) return console.error('prepare: no src/ here yet, nothing to build');
  if (!typescript(root)) {
    if (!isFresh(root)) console.error('prepare: TypeScript is not installed (npm ci --omit=dev?): dist/ not built; run `npm run build` where dev dependencies are installed');
    return;
  }
  build({ root });
  const warm = spawnSync(process.execPath, [path.join(paths(root).dist, 'cli', 'warm-caches.js')], { cwd: root, stdio: 'inherit' });
  if (warm.status !== 0) console.error('prepare: the caches were not made; the first start makes them');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    if (process.argv.includes('--prepare')) prepare();
    else build({ clean: process.argv.includes('--clean') });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
