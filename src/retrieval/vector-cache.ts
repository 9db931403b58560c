import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { INDEX_FILES } from './knowledge-index.js';

/**
 * Vectors of chunks already embedded, keyed by a hash of the embedded text and the embedder, so
 * that a rebuild after a small edit embeds only what changed (which matters with a paid API).
 */
export class VectorCache {
  constructor(private readonly entries = new Map<string, number[]>()) {}

  static async read(indexDir: string): Promise<VectorCache> {
    try {
      const keys = JSON.parse(await readFile(path.join(indexDir, INDEX_FILES.cacheKeys), 'utf8')) as { dimensions: number; keys: string[] };
      const data = await readFile(path.join(indexDir, INDEX_FILES.cacheData));
      const floats = new Float32Array(data.buffer, data.byteOffset, data.byteLength / 4);
      const entries = new Map<string, number[]>();
      keys.keys.forEach((key, i) => entries.set(key, Array.from(floats.subarray(i * keys.dimensions, (i + 1) * keys.dimensions))));
      return new VectorCache(entries);
    } catch {
      return new VectorCache();
    }
  }

  get(key: string): number[] | undefined {
    return this.entries.get(key);
  }

  /** Writes the given entries only: vectors of deleted chunks are dropped. */
  static async write(indexDir: string, keys: string[], vectors: number[][]): Promise<void> {
    const dimensions = vectors[0]?.length ?? 0;
    const floats = new Float32Array(keys.length * dimensions);
    vectors.forEach((vector, i) => floats.set(vector, i * dimensions));
    await writeFile(path.join(indexDir, INDEX_FILES.cacheKeys), JSON.stringify({ dimensions, keys }));
    await writeFile(path.join(indexDir, INDEX_FILES.cacheData), Buffer.from(floats.buffer));
  }
}
