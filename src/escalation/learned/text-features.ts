import { normalizeText } from '../../core/text/normalize-text.js';

/** Bumped whenever the features change, so that a cached model trained on the old ones is retrained. */
export const FEATURE_VERSION = 1;

/** Hashed feature space: 2^18 buckets keep collisions rare for a corpus of a few thousand messages. */
export const FEATURE_BITS = 18;
const MASK = (1 << FEATURE_BITS) - 1;

const SHORTEST = 2;
const LONGEST = 5;

/** A sparse, L2-normalised feature vector. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const step = (hash: number, code: number) => Math.imul(hash ^ code, FNV_PRIME) >>> 0;
/** Spreads a hash over the buckets (the low bits of FNV alone cluster on short strings). */
const bucket = (hash: number) => {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b) >>> 0;
  h ^= h >>> 16;
  return h & MASK;
};

/**
 * The features of one message: character n-grams (2 to 5) of the normalised text, across word
 * boundaries, and its words and word pairs. Normalisation folds case, accents, Arabic-script
 * variants and Serbian Cyrillic, so "ubiću", "ubicu" and "убићу" share their n-grams; n-grams carry
 * over to spellings no one wrote down (Arabizi, Roman Urdu, chat spelling) where word lists do not.
 */
export function textFeatures(text: string): SparseVector {
  const normalized = normalizeText(text);
  const counts = new Map<number, number>();
  const add = (index: number) => counts.set(index, (counts.get(index) ?? 0) + 1);
  const padded = ` ${normalized} `;
  const codes = Array.from(padded, (ch) => ch.codePointAt(0)!);
  for (let start = 0; start < codes.length; start += 1) {
    let hash = step(FNV_OFFSET, 0x63); // "c": character n-grams
    for (let n = 1; n <= LONGEST && start + n <= codes.length; n += 1) {
      hash = step(hash, codes[start + n - 1]!);
      if (n >= SHORTEST) add(bucket(step(hash, n)));
    }
  }
  const words = normalized === '' ? [] : normalized.split(' ');
  let previous = '';
  for (const word of words) {
    add(bucket(hashString(`w ${word}`)));
    if (previous) add(bucket(hashString(`b ${previous} ${word}`)));
    previous = word;
  }
  const indices = Uint32Array.from(counts.keys()).sort();
  const values = new Float32Array(indices.length);
  let norm = 0;
  indices.forEach((index, i) => {
    const value = 1 + Math.log(counts.get(index)!);
    values[i] = value;
    norm += value * value;
  });
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < values.length; i += 1) values[i]! *= scale;
  return { indices, values };
}

function hashString(text: string): number {
  let hash = FNV_OFFSET;
  for (const ch of text) hash = step(hash, ch.codePointAt(0)!);
  return hash;
}
