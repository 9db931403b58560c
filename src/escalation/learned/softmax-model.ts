import { FEATURE_BITS, type SparseVector } from './text-features.js';

/** A labelled example: its features and the index of its class. */
export interface Example {
  features: SparseVector;
  label: number;
}

export interface TrainingOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty per update, applied lazily to the weights an example touches. */
  l2: number;
  seed: number;
}

export const DEFAULT_TRAINING: TrainingOptions = { epochs: 8, learningRate: 0.4, l2: 1e-6, seed: 7 };

/**
 * Multinomial logistic regression over hashed sparse features, trained with AdaGrad and class
 * weights (rare classes count as much as common ones). Deterministic: the same examples and seed
 * give the same weights.
 */
export class SoftmaxModel {
  constructor(
    readonly classes: number,
    /** Row-major: weights[row * classes + class], the row of a feature being the feature itself, or rows[feature] when the model is compact. */
    readonly weights: Float32Array,
    readonly bias: Float32Array,
    /** A compact model's row of each feature; -1 for a feature no training example had (its weights are all zero). */
    readonly rows?: Int32Array,
  ) {}

  /**
   * The same model without the rows of features no training example had (all their weights are 0,
   * so scores are exactly the same): less memory when many rows are empty. This model when few are.
   */
  compact(): SoftmaxModel {
    if (this.rows) return this;
    const { classes, weights } = this;
    const features = weights.length / classes;
    const rows = new Int32Array(features).fill(-1);
    let kept = 0;
    for (let feature = 0; feature < features; feature++) {
      for (let c = 0; c < classes; c++) {
        if (weights[feature * classes + c] !== 0) {
          rows[feature] = kept++;
          break;
        }
      }
    }
    // The row index costs one number per feature: worth it only when it saves more than it costs.
    if ((features - kept) * classes <= features) return this;
    const packed = new Float32Array(kept * classes);
    for (let feature = 0; feature < features; feature++) {
      const row = rows[feature]!;
      if (row >= 0) packed.set(weights.subarray(feature * classes, (feature + 1) * classes), row * classes);
    }
    return new SoftmaxModel(classes, packed, this.bias, rows);
  }

  /** The weights with a row for every feature (as training makes them, and as they are written). */
  denseWeights(): Float32Array {
    const { classes, weights, rows } = this;
    if (!rows) return weights;
    const dense = new Float32Array(rows.length * classes);
    rows.forEach((row, feature) => {
      if (row >= 0) dense.set(weights.subarray(row * classes, (row + 1) * classes), feature * classes);
    });
    return dense;
  }

  static train(examples: Example[], classes: number, options: TrainingOptions = DEFAULT_TRAINING): SoftmaxModel {
    const size = (1 << FEATURE_BITS) * classes;
    const weights = new Float32Array(size);
    const squared = new Float32Array(size);
    const bias = new Float32Array(classes);
    const biasSquared = new Float32Array(classes);
    const perClass = new Array<number>(classes).fill(0);
    for (const example of examples) perClass[example.label]! += 1;
    const present = perClass.filter((n) => n > 0).length;
    const classWeight = perClass.map((n) => (n > 0 ? examples.length / (present * n) : 0));
    const order = examples.map((_, i) => i);
    const random = mulberry32(options.seed);
    const model = new SoftmaxModel(classes, weights, bias);
    const probabilities = new Float64Array(classes);
    for (let epoch = 0; epoch < options.epochs; epoch += 1) {
      shuffle(order, random);
      for (const i of order) {
        const { features, label } = examples[i]!;
        model.probabilitiesInto(features, probabilities);
        const scale = classWeight[label]!;
        for (let c = 0; c < classes; c += 1) {
          const gradient = (probabilities[c]! - (c === label ? 1 : 0)) * scale;
          biasSquared[c]! += gradient * gradient;
          bias[c]! -= (options.learningRate * gradient) / Math.sqrt(biasSquared[c]! + 1e-8);
          for (let k = 0; k < features.indices.length; k += 1) {
            const at = features.indices[k]! * classes + c;
            const g = gradient * features.values[k]! + options.l2 * weights[at]!;
            squared[at]! += g * g;
            weights[at]! -= (options.learningRate * g) / Math.sqrt(squared[at]! + 1e-8);
          }
        }
      }
    }
    return model;
  }

  /** Raw class scores (logits). */
  scoresInto(features: SparseVector, out: Float64Array): Float64Array {
    const { classes, weights, bias, rows } = this;
    for (let c = 0; c < classes; c += 1) out[c] = bias[c]!;
    for (let k = 0; k < features.indices.length; k += 1) {
      // An empty row adds nothing (0 × value): a compact model skips it.
      const at = rows ? rows[features.indices[k]!]! : features.indices[k]!;
      if (at < 0) continue;
      const row = at * classes;
      const value = features.values[k]!;
      for (let c = 0; c < classes; c += 1) out[c]! += weights[row + c]! * value;
    }
    return out;
  }

  /** Class probabilities; `temperature` above 1 softens over-confident scores (calibration). */
  probabilitiesInto(features: SparseVector, out: Float64Array, temperature = 1): Float64Array {
    this.scoresInto(features, out);
    softmaxInPlace(out, temperature);
    return out;
  }
}

export function softmaxInPlace(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const score of scores) max = Math.max(max, score);
  let sum = 0;
  for (let c = 0; c < scores.length; c += 1) {
    scores[c] = Math.exp((scores[c]! - max) / temperature);
    sum += scores[c]!;
  }
  for (let c = 0; c < scores.length; c += 1) scores[c]! /= sum;
  return scores;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
