import { Embeddings } from '@langchain/core/embeddings';
import { tokenize } from '../core/text/normalize-text.js';
import { STOPWORDS } from '../i18n/stopwords.js';

export interface LocalEmbeddingsOptions {
  /** Vector size (default 1024). */
  dimensions?: number;
  /** Character n-gram sizes (default 4 to 5). */
  minGram?: number;
  maxGram?: number;
}

/** FNV-1a, 32 bit: fast, stable across runs and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Offline, deterministic embeddings: hashed character n-grams of each word plus the words
 * themselves, sub-linear in frequency, L2-normalised. Character n-grams work for every script and
 * tolerate inflection, compounds and typos; no model is downloaded and nothing leaves the machine.
 */
export class LocalEmbeddings extends Embeddings {
  readonly dimensions: number;
  private readonly minGram: number;
  private readonly maxGram: number;

  constructor(options: LocalEmbeddingsOptions = {}) {
    super({});
    this.dimensions = options.dimensions ?? 1024;
    this.minGram = options.minGram ?? 4;
    this.maxGram = options.maxGram ?? 5;
  }

  /** Identifies the vector space: an index built with other settings must be rebuilt. */
  get id(): string {
    return `local-ngram-v1-d${this.dimensions}-n${this.minGram}${this.maxGram}`;
  }

  embedText(text: string): number[] {
    const counts = new Map<number, number>();
    const add = (feature: string, weight: number) => {
      const hash = fnv1a(feature);
      const slot = hash % this.dimensions;
      // The top bit picks a sign, so that colliding features cancel out instead of piling up.
      const signed = hash & 0x80000000 ? -weight : weight;
      counts.set(slot, (counts.get(slot) ?? 0) + signed);
    };
    for (const token of tokenize(text)) {
      const stop = STOPWORDS.has(token);
      const weight = stop ? 0.15 : 1;
      add(`w:${token}`, 1.5 * weight);
      const padded = `<${token}>`;
      for (let n = this.minGram; n <= this.maxGram; n++) {
        for (let i = 0; i + n <= padded.length; i++) add(padded.slice(i, i + n), weight / (this.maxGram - this.minGram + 1));
      }
    }
    const vector = new Array<number>(this.dimensions).fill(0);
    let norm = 0;
    for (const [slot, value] of counts) {
      const damped = Math.sign(value) * Math.log1p(Math.abs(value));
      vector[slot] = damped;
      norm += damped * damped;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
    return vector;
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embedText(text));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return this.embedText(text);
  }
}
