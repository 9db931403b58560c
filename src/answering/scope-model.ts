import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCachedModel, writeCachedModel, type ModelCache } from '../escalation/learned/model-cache.js';
import { MODEL_CACHE_DIR } from '../escalation/learned/screen-model.js';
import { DEFAULT_TRAINING, SoftmaxModel, type Example } from '../escalation/learned/softmax-model.js';
import { FEATURE_BITS, FEATURE_VERSION, textFeatures } from '../escalation/learned/text-features.js';
import { readCorpusFiles, type CorpusFiles } from '../escalation/learned/training-corpus.js';

/** The classes the scope model tells apart. */
export type ScopeClass = 'in_scope' | 'chitchat' | 'out_of_scope';
export const SCOPES: readonly ScopeClass[] = ['in_scope', 'chitchat', 'out_of_scope'];
/** Out-of-scope and chit-chat messages written for the scope screen (provenance in its README). */
export const SCOPE_TRAINING_FILE = fileURLToPath(new URL('./scope-training/out-of-scope.jsonl', import.meta.url));
const MODEL_VERSION = 1;

interface ScopeMessage {
  text: string;
  scope: ScopeClass;
}

/** The knowledge base, whose section headings are questions of the service's subject in ten languages. */
export const KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge/', import.meta.url));

/** The `##` headings and titles of the knowledge files: the questions Lotse is there to answer, in every language it has. */
function knowledgeQuestions(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md') && !name.endsWith('README.md'))
    .sort();
  return files.flatMap((name) => {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const headings = [...text.matchAll(/^##\s+(.+)$/gmu)].map((m) => m[1]!.trim());
    const title = /^title:\s*"?(.+?)"?\s*$/mu.exec(text)?.[1];
    return title ? [title, ...headings] : headings;
  });
}

/** What the scope screen learns from, as read from disk, and a digest of it: enough to tell whether a trained model still fits. */
export interface ScopeSources {
  escalation: CorpusFiles;
  own: string;
  questions: string[];
  digest: string;
}

export function readScopeSources(knowledgeDir: string = KNOWLEDGE_DIR): ScopeSources {
  const escalation = readCorpusFiles();
  const own = readFileSync(SCOPE_TRAINING_FILE, 'utf8');
  const questions = knowledgeQuestions(knowledgeDir);
  const digest = createHash('sha256').update(escalation.digest).update(own).update(questions.join('\n')).digest('hex');
  return { escalation, own, questions, digest };
}

/**
 * What the scope screen learns from: the escalation corpus (the service's own subject, in every
 * way of writing: in scope; its small talk: chit-chat; its few out-of-scope questions), the
 * knowledge base's headings and titles (in scope: they name its programmes and terms, such as
 * StarthilfePlus), and the out-of-scope and chit-chat corpus. Parsed only to train.
 */
export function loadScopeCorpus(sources: ScopeSources = readScopeSources()): { messages: ScopeMessage[]; digest: string } {
  const messages: ScopeMessage[] = sources.questions.map((text) => ({ text, scope: 'in_scope' as const }));
  for (const { raw } of sources.escalation.files) {
    for (const m of JSON.parse(raw) as { text: string; expected: string; kind?: string }[]) {
      messages.push({ text: m.text, scope: m.expected === 'out_of_scope' ? 'out_of_scope' : m.kind === 'smalltalk' ? 'chitchat' : 'in_scope' });
    }
  }
  for (const line of sources.own.split('\n')) {
    if (line.trim() === '') continue;
    const m = JSON.parse(line) as { text: string; kind: string };
    messages.push({ text: m.text, scope: m.kind === 'chitchat' ? 'chitchat' : 'out_of_scope' });
  }
  return { messages, digest: sources.digest };
}

export class ScopeModel {
  private readonly probabilities = new Float64Array(SCOPES.length);

  constructor(
    readonly model: SoftmaxModel,
    readonly digest: string,
  ) {}

  /** The probability of each scope for a message. */
  classify(text: string): Record<ScopeClass, number> {
    const p = this.model.probabilitiesInto(textFeatures(text), this.probabilities);
    return { in_scope: p[0]!, chitchat: p[1]!, out_of_scope: p[2]! };
  }
}

export function trainScopeModel(corpus = loadScopeCorpus()): ScopeModel {
  const examples: Example[] = corpus.messages.map((m) => ({ features: textFeatures(m.text), label: SCOPES.indexOf(m.scope) }));
  return new ScopeModel(SoftmaxModel.train(examples, SCOPES.length, DEFAULT_TRAINING), corpus.digest);
}

const SETTINGS = createHash('sha256').update(JSON.stringify({ MODEL_VERSION, FEATURE_VERSION, FEATURE_BITS, DEFAULT_TRAINING })).digest('hex').slice(0, 12);
const cacheName = (digest: string) => `scope-screen-${SETTINGS}-${digest.slice(0, 16)}.bin`;

function serialize(model: ScopeModel): Buffer {
  const digest = Buffer.alloc(64, ' ');
  digest.write(model.digest);
  const { weights, bias } = model.model;
  return Buffer.concat([digest, Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength), Buffer.from(bias.buffer, bias.byteOffset, bias.byteLength)]);
}

function deserialize(buffer: Buffer): ScopeModel {
  const rows = (1 << FEATURE_BITS) * SCOPES.length;
  if (buffer.length !== 64 + (rows + SCOPES.length) * 4) throw new Error('the cached scope model has the wrong size');
  const weights = new Float32Array(rows);
  weights.set(new Float32Array(buffer.buffer, buffer.byteOffset + 64, rows));
  const bias = new Float32Array(SCOPES.length);
  bias.set(new Float32Array(buffer.buffer, buffer.byteOffset + 64 + rows * 4, SCOPES.length));
  return new ScopeModel(new SoftmaxModel(SCOPES.length, weights, bias), buffer.subarray(0, 64).toString('utf8').trim());
}

let loaded: ScopeModel | undefined;

/** The scope model for the current corpora: from memory, else the cache, else trained now (a few seconds) and cached. */
export function scopeModel(cacheDir: string = MODEL_CACHE_DIR, knowledgeDir: string = KNOWLEDGE_DIR): ScopeModel {
  // Only the bytes (and the knowledge's headings) are read to check the model still fits; the corpus is parsed only to train.
  const sources = readScopeSources(knowledgeDir);
  if (loaded?.digest === sources.digest) return loaded;
  const cache: ModelCache<ScopeModel> = { dir: cacheDir, prefix: 'scope-screen-', file: cacheName(sources.digest), read: deserialize, write: serialize };
  const cached = readCachedModel(cache);
  if (cached?.digest === sources.digest) return (loaded = cached);
  loaded = trainScopeModel(loadScopeCorpus(sources));
  writeCachedModel(cache, loaded);
  return loaded;
}
