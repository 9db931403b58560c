import { describe, expect, it } from 'vitest';
import { screenModel } from '../../../src/escalation/learned/screen-model.js';
import { SoftmaxModel } from '../../../src/escalation/learned/softmax-model.js';
import { textFeatures } from '../../../src/escalation/learned/text-features.js';
import { loadTrainingCorpus } from '../../../src/escalation/learned/training-corpus.js';

describe('a compact softmax model (empty rows left out)', () => {
  it('scores every message of the training corpus exactly as the full model does, in less memory', () => {
    const model = screenModel();
    const kind = model.kind;
    expect(kind.rows).toBeDefined();
    const full = new SoftmaxModel(kind.classes, kind.denseWeights(), kind.bias);
    expect(kind.weights.byteLength + kind.rows!.byteLength).toBeLessThan(full.weights.byteLength);
    const different = loadTrainingCorpus().messages.filter(({ text }) => {
      const features = textFeatures(text);
      const a = kind.scoresInto(features, new Float64Array(kind.classes));
      const b = full.scoresInto(features, new Float64Array(kind.classes));
      return a.some((value, c) => value !== b[c]);
    });
    expect(different).toEqual([]);
    // Round trip: compacting the full model again gives the same weights.
    expect(full.compact().weights).toEqual(kind.weights);
  });

  it('stays as it is when few rows are empty', () => {
    const dense = new SoftmaxModel(2, Float32Array.from([1, 0, 0, 2, 3, 4, 0, 0]), Float32Array.from([0, 0]));
    expect(dense.compact()).toBe(dense);
  });
});
