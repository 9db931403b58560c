import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** How a trained model is kept on disk: its file name family, and how it is written and read back. */
export interface ModelCache<T> {
  dir: string;
  /** The file name's family ("scope-screen-"): older files of it are removed when a new one is written. */
  prefix: string;
  /** The file for this corpus and these settings. */
  file: string;
  read(buffer: Buffer): T;
  write(model: T): Buffer;
}

/** A cached model if one is there and readable; undefined otherwise (then the caller trains). */
export function readCachedModel<T>(cache: ModelCache<T>): T | undefined {
  const file = path.join(cache.dir, cache.file);
  try {
    return existsSync(file) ? cache.read(readFileSync(file)) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a model atomically and removes the family's older files; a read-only install just trains again next start. */
export function writeCachedModel<T>(cache: ModelCache<T>, model: T): void {
  const file = path.join(cache.dir, cache.file);
  try {
    mkdirSync(cache.dir, { recursive: true });
    const staging = `${file}.${process.pid}.tmp`;
    writeFileSync(staging, cache.write(model));
    renameSync(staging, file);
    for (const name of readdirSync(cache.dir)) if (name.startsWith(cache.prefix) && name.endsWith('.bin') && name !== cache.file) rmSync(path.join(cache.dir, name), { force: true });
  } catch {
    // a read-only install still works; it trains at every start
  }
}
