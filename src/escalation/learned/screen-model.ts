import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DANGER_KINDS, type DangerKind } from '../../core/danger.js';
import { SoftmaxModel, softmaxInPlace, DEFAULT_TRAINING, type Example } from './softmax-model.js';
import { FEATURE_BITS, FEATURE_VERSION, textFeatures, type SparseVector } from './text-features.js';
import { readCachedModel, writeCachedModel, type ModelCache } from './model-cache.js';
import { loadTrainingCorpus, readCorpusFiles, SIGNAL_CLASSES, type SignalClass, type TrainingCorpus, type TrainingMessage } from './training-corpus.js';

/** Bumped whenever training or calibration changes, so that cached models are retrained. */
const MODEL_VERSION = 1;

/** Where trained models are cached between runs (a cache: deleting it only costs a retraining). */
export const MODEL_CACHE_DIR = fileURLToPath(new URL('../../../node_modules/.cache/lotse/', import.meta.url));

/** Decision thresholds on calibrated probabilities, chosen on held-out folds of the training corpus. */
export interface Thresholds {
  safety: number;
  sensitive: number;
  user_request: number;
  /** Below safety: a risk signal that turns any other escalation into a safety one. */
  risk: number;
}

/** Ceilings on false alarms per signal (share of ordinary messages) that the thresholds are chosen for. */
const FALSE_ALARM_CEILING = { safety: 0.015, sensitive: 0.01, user_request: 0.005 } as const;
/** Writers are grouped into at most this many folds (each left out once), to bound the training time. */
const MAX_FOLDS = 6;
/** The share of danger the risk threshold keeps (on held-out folds). */
const RISK_RECALL = 0.98;

export interface Calibration {
  temperature: number;
  thresholds: Thresholds;
  /** What the held-out folds (writers left out, a few at a time) gave with these thresholds. */
  folds: { safety: number; falseAlarms: number; sensitive: number; user_request: number; atRisk: number };
}

/** The trained screen: a signal model (none, safety, sensitive, user_request), a danger-kind model and their calibration. */
export class ScreenModel {
  constructor(
    readonly signal: SoftmaxModel,
    readonly kind: SoftmaxModel,
    readonly calibration: Calibration,
    readonly digest: string,
  ) {}

  /** Calibrated probabilities of the four signal classes. */
  probabilities(features: SparseVector): Float64Array {
    const out = new Float64Array(SIGNAL_CLASSES.length);
    this.signal.scoresInto(features, out);
    return softmaxInPlace(out, this.calibration.temperature);
  }

  /** The most likely kind of danger. */
  danger(features: SparseVector): DangerKind {
    const scores = this.kind.scoresInto(features, new Float64Array(DANGER_KINDS.length));
    let best = 0;
    for (let c = 1; c < scores.length; c += 1) if (scores[c]! > scores[best]!) best = c;
    return DANGER_KINDS[best]!;
  }

  /** The decision the thresholds give for a set of calibrated probabilities. */
  static decide(p: ArrayLike<number>, thresholds: Thresholds): SignalClass {
    if (p[1]! >= thresholds.safety) return 'safety';
    const sensitive = p[2]! / thresholds.sensitive;
    const user = p[3]! / thresholds.user_request;
    if (sensitive < 1 && user < 1) return 'none';
    return sensitive >= user ? 'sensitive' : 'user_request';
  }
}

const signalExamples = (messages: TrainingMessage[], features: SparseVector[]): Example[] =>
  messages.map((m, i) => ({ features: features[i]!, label: SIGNAL_CLASSES.indexOf(m.label) }));

const kindExamples = (messages: TrainingMessage[], features: SparseVector[]): Example[] =>
  messages.flatMap((m, i) => (m.danger ? [{ features: features[i]!, label: DANGER_KINDS.indexOf(m.danger) }] : []));

/**
 * Trains the screen on the corpus: the calibration (temperature, thresholds) comes from folds that
 * leave writers out, so it reflects writers the model has not seen; then the final models are
 * trained on everything.
 */
export function trainScreenModel(corpus: TrainingCorpus = loadTrainingCorpus()): ScreenModel {
  const { messages } = corpus;
  const features = messages.map((m) => textFeatures(m.text));
  const calibration = calibrate(messages, features);
  const signal = SoftmaxModel.train(signalExamples(messages, features), SIGNAL_CLASSES.length);
  const kind = SoftmaxModel.train(kindExamples(messages, features), DANGER_KINDS.length);
  return new ScreenModel(signal, kind, calibration, corpus.digest);
}

/** The writer of a file (the older tuning sets count as one writer). */
const writerOf = (source: string) => (source.startsWith('round-0-') ? 'round-0' : source);

function calibrate(messages: TrainingMessage[], features: SparseVector[]): Calibration {
  const writers = [...new Set(messages.map((m) => writerOf(m.source)))].sort();
  const scores: Float64Array[] = new Array(messages.length);
  if (writers.length < 2) throw new Error('the escalation training corpus needs files from at least two writers to calibrate the screen');
  // Every writer's messages are scored by a model that never saw that writer.
  const foldOf = new Map(writers.map((writer, i) => [writer, i % Math.min(MAX_FOLDS, writers.length)]));
  for (let fold = 0; fold < Math.min(MAX_FOLDS, writers.length); fold += 1) {
    const inFold = messages.map((m) => foldOf.get(writerOf(m.source)) === fold);
    const trainIdx = messages.flatMap((_, i) => (inFold[i] ? [] : [i]));
    const model = SoftmaxModel.train(
      signalExamples(
        trainIdx.map((i) => messages[i]!),
        trainIdx.map((i) => features[i]!),
      ),
      SIGNAL_CLASSES.length,
      DEFAULT_TRAINING,
    );
    messages.forEach((_, i) => {
      if (inFold[i]) scores[i] = model.scoresInto(features[i]!, new Float64Array(SIGNAL_CLASSES.length));
    });
  }
  const labels = messages.map((m) => SIGNAL_CLASSES.indexOf(m.label));
  const temperature = fitTemperature(scores, labels);
  const probabilities = scores.map((s) => softmaxInPlace(Float64Array.from(s), temperature));
  const ordinary = probabilities.filter((_, i) => labels[i] === 0);
  const danger = probabilities.filter((_, i) => labels[i] === 1);
  const smallest = (share: (tau: number) => number, ceiling: number) => {
    for (let tau = 0.05; tau < 0.96; tau += 0.01) if (share(tau) <= ceiling) return round(tau);
    return 0.95;
  };
  const rate = (list: Float64Array[], test: (p: Float64Array) => boolean) => (list.length ? list.filter(test).length / list.length : 0);
  const safety = smallest((tau) => rate(ordinary, (p) => p[1]! >= tau), FALSE_ALARM_CEILING.safety);
  const sensitive = smallest((tau) => rate(ordinary, (p) => p[1]! < safety && p[2]! >= tau), FALSE_ALARM_CEILING.sensitive);
  const userRequest = smallest((tau) => rate(ordinary, (p) => p[1]! < safety && p[3]! >= tau), FALSE_ALARM_CEILING.user_request);
  let risk = safety;
  while (risk > 0.05 && rate(danger, (p) => p[1]! >= risk) < RISK_RECALL) risk = round(risk - 0.01);
  const thresholds: Thresholds = { safety, sensitive, user_request: userRequest, risk };
  const decided = probabilities.map((p) => ScreenModel.decide(p, thresholds));
  const recall = (label: number, as: SignalClass) => rate(probabilities.filter((_, i) => labels[i] === label), (p) => ScreenModel.decide(p, thresholds) === as);
  return {
    temperature,
    thresholds,
    folds: {
      safety: round(recall(1, 'safety'), 3),
      falseAlarms: round(decided.filter((d, i) => labels[i] === 0 && d !== 'none').length / Math.max(1, ordinary.length), 3),
      sensitive: round(recall(2, 'sensitive'), 3),
      user_request: round(recall(3, 'user_request'), 3),
      atRisk: round(rate(danger, (p) => p[1]! >= risk), 3),
    },
  };
}

/** The temperature that minimises the log loss of the held-out scores. */
function fitTemperature(scores: Float64Array[], labels: number[]): number {
  let best = 1;
  let bestLoss = Infinity;
  for (let t = 0.5; t <= 6; t += 0.1) {
    let loss = 0;
    scores.forEach((s, i) => {
      const p = softmaxInPlace(Float64Array.from(s), t);
      loss -= Math.log(Math.max(p[labels[i]!]!, 1e-12));
    });
    if (loss < bestLoss) {
      bestLoss = loss;
      best = t;
    }
  }
  return round(best, 2);
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

// --- Cache -------------------------------------------------------------------------------------

/** The settings of training and calibration are part of the cache key: changing one retrains. */
const SETTINGS = createHash('sha256')
  .update(JSON.stringify({ MODEL_VERSION, FEATURE_VERSION, FEATURE_BITS, DEFAULT_TRAINING, FALSE_ALARM_CEILING, RISK_RECALL, MAX_FOLDS }))
  .digest('hex')
  .slice(0, 12);
const cacheName = (digest: string) => `escalation-screen-${SETTINGS}-${digest.slice(0, 16)}.bin`;

/** Writes the model as a JSON header and the raw weights. */
export function serializeScreenModel(model: ScreenModel): Buffer {
  const header = Buffer.from(JSON.stringify({ digest: model.digest, calibration: model.calibration, signal: model.signal.classes, kind: model.kind.classes }));
  const parts = [model.signal.denseWeights(), model.signal.bias, model.kind.denseWeights(), model.kind.bias].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([length, header, Buffer.alloc((4 - ((4 + header.length) % 4)) % 4), ...parts]);
}

export function deserializeScreenModel(buffer: Buffer): ScreenModel {
  const headerLength = buffer.readUInt32LE(0);
  const header = JSON.parse(buffer.subarray(4, 4 + headerLength).toString('utf8')) as { digest: string; calibration: Calibration; signal: number; kind: number };
  let offset = 4 + headerLength + ((4 - ((4 + headerLength) % 4)) % 4);
  const take = (count: number) => {
    const copy = new Float32Array(count);
    copy.set(new Float32Array(buffer.buffer, buffer.byteOffset + offset, count));
    offset += count * 4;
    return copy;
  };
  const rows = 1 << FEATURE_BITS;
  const signal = new SoftmaxModel(header.signal, take(rows * header.signal), take(header.signal));
  const kind = new SoftmaxModel(header.kind, take(rows * header.kind), take(header.kind));
  if (offset !== buffer.length) throw new Error('the cached escalation model has the wrong size');
  return new ScreenModel(signal, kind, header.calibration, header.digest);
}

let loaded: ScreenModel | undefined;

/** Whether the model for the current corpus is in memory or in the cache (else the next screenModel() trains it). */
export function screenModelReady(cacheDir: string = MODEL_CACHE_DIR): boolean {
  const { digest } = readCorpusFiles();
  return loaded?.digest === digest || existsSync(path.join(cacheDir, cacheName(digest)));
}

/**
 * The screen model for the current corpus: from memory, else from the cache, else trained now (a few
 * seconds) and cached. A cache that cannot be read or written is ignored: the model is trained.
 */
export function screenModel(cacheDir: string = MODEL_CACHE_DIR): ScreenModel {
  // Only the bytes are read to check the model still fits; the messages are parsed only to train.
  const files = readCorpusFiles();
  if (loaded?.digest === files.digest) return loaded;
  // Models of older corpora or settings are of no further use: writing a new one removes them.
  const cache: ModelCache<ScreenModel> = { dir: cacheDir, prefix: 'escalation-screen-', file: cacheName(files.digest), read: deserializeScreenModel, write: serializeScreenModel };
  const cached = readCachedModel(cache);
  if (cached?.digest === files.digest) return (loaded = compactModel(cached));
  const trained = trainScreenModel(loadTrainingCorpus(files));
  writeCachedModel(cache, trained);
  return (loaded = compactModel(trained));
}

/** The model kept in memory: its danger-kind model without the empty rows (a third of them; the scores are the same). */
function compactModel(model: ScreenModel): ScreenModel {
  return new ScreenModel(model.signal.compact(), model.kind.compact(), model.calibration, model.digest);
}
