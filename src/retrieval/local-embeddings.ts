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

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** One step of FNV-1a, 32 bit (fast, stable across runs and platforms): the hash so far and the next UTF-16 code unit. */
const fnvStep = (hash: number, code: number) => Math.imul(hash ^ code, FNV_PRIME);
/** The hash of the prefix "w:" that marks a whole word's feature. */
const WORD_PREFIX = fnvStep(fnvStep(FNV_OFFSET, 0x77), 0x3a);

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
    const { dimensions, minGram, maxGram } = this;
    // Each slot's sum, and the slots in the order they were first touched (the norm is summed in that order).
    const sums = new Float64Array(dimensions);
    const seen = new Uint8Array(dimensions);
    const touched: number[] = [];
    const add = (hash: number, weight: number) => {
      const unsigned = hash >>> 0;
      const slot = unsigned % dimensions;
      // The top bit picks a sign, so that colliding features cancel out instead of piling up.
      const signed = unsigned & 0x80000000 ? -weight : weight;
      if (seen[slot] === 0) {
        seen[slot] = 1;
        touched.push(slot);
      }
      sums[slot] = sums[slot]! + signed;
    };
    for (const token of tokenize(text)) {
      const stop = STOPWORDS.has(token);
      const weight = stop ? 0.15 : 1;
      // The word itself, hashed as "w:<word>".
      let hash = WORD_PREFIX;
      for (let i = 0; i < token.length; i++) hash = fnvStep(hash, token.charCodeAt(i));
      add(hash, 1.5 * weight);
      // Its character n-grams, with < and > marking where it starts and ends, hashed in place (no string per n-gram).
      const padded = `<${token}>`;
      const gramWeight = weight / (maxGram - minGram + 1);
      for (let n = minGram; n <= maxGram; n++) {
        for (let i = 0; i + n <= padded.length; i++) {
          hash = FNV_OFFSET;
          for (let j = i; j < i + n; j++) hash = fnvStep(hash, padded.charCodeAt(j));
          add(hash, gramWeight);
        }
      }
    }
    const vector = new Array<number>(dimensions).fill(0);
    let norm = 0;
    for (const slot of touched) {
      const value = sums[slot]!;
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
