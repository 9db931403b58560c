import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isDangerKind, type DangerKind } from '../../core/danger.js';

/** The labelled messages the screen learns from (each file's provenance is in the folder's README). */
export const TRAINING_DIR = fileURLToPath(new URL('../training/', import.meta.url));

export const SIGNAL_CLASSES = ['none', 'safety', 'sensitive', 'user_request'] as const;
export type SignalClass = (typeof SIGNAL_CLASSES)[number];

const fileSchema = z.array(
  z.object({
    text: z.string().min(1),
    lang: z.string(),
    expected: z.enum(['safety', 'sensitive', 'user_request', 'none', 'answerable', 'out_of_scope']),
    kind: z.string().optional(),
  }),
);

export interface TrainingMessage {
  text: string;
  lang: string;
  label: SignalClass;
  danger?: DangerKind;
  /** The file it came from (for cross-validation by writer). */
  source: string;
}

export interface TrainingCorpus {
  messages: TrainingMessage[];
  /** A digest of every file's bytes: a model trained on another corpus is retrained. */
  digest: string;
}

/** The training files as they are on disk, in name order, and a digest of their names and bytes. */
export interface CorpusFiles {
  files: { name: string; raw: string }[];
  digest: string;
}

/** Reads the files without parsing them: enough to tell whether a trained model still fits. */
export function readCorpusFiles(dir: string = TRAINING_DIR): CorpusFiles {
  const hash = createHash('sha256');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const raw = readFileSync(path.join(dir, name), 'utf8');
      hash.update(name).update('\0').update(raw).update('\0');
      return { name, raw };
    });
  return { files, digest: hash.digest('hex') };
}

/** Reads every `*.json` of the training folder, in name order; duplicates (same text, case-insensitive) count once. */
export function loadTrainingCorpus(source: string | CorpusFiles = TRAINING_DIR): TrainingCorpus {
  const { files, digest } = typeof source === 'string' ? readCorpusFiles(source) : source;
  const seen = new Set<string>();
  const messages: TrainingMessage[] = [];
  for (const { name, raw } of files) {
    let parsed;
    try {
      parsed = fileSchema.parse(JSON.parse(raw));
    } catch (error) {
      throw new Error(`escalation training file ${name} is not a valid message list: ${(error as Error).message}`);
    }
    for (const message of parsed) {
      const key = message.text.trim().toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const label: SignalClass = message.expected === 'answerable' || message.expected === 'out_of_scope' ? 'none' : message.expected;
      messages.push({ text: message.text, lang: message.lang, label, danger: label === 'safety' && isDangerKind(message.kind) ? message.kind : undefined, source: name });
    }
  }
  return { messages, digest };
}
