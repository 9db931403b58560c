import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LANGUAGES } from '../core/knowledge.js';
import type { EscalationClassifier, SignalReason } from '../core/ports.js';
import { foldLetters, normalizeText } from '../core/text/normalize-text.js';

const REASONS: SignalReason[] = ['safety', 'sensitive', 'user_request'];

const patternFileSchema = z.record(z.enum(['safety', 'sensitive', 'user_request']), z.partialRecord(z.enum(LANGUAGES), z.array(z.string())));

/**
 * Concepts (each a list of word patterns in all ten languages) and rules: a rule names concepts
 * that must all occur in one message ("documents" + "held", "hidden vehicle" + "crossing").
 * Co-occurrence carries over to phrasings no one wrote down; the phrase patterns alone did not.
 */
const conceptFileSchema = z.object({
  concepts: z.record(z.string(), z.array(z.string())),
  rules: z.partialRecord(z.enum(['safety', 'sensitive', 'user_request']), z.array(z.array(z.string()).min(1))),
});

const readJson = (name: string) => JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as unknown;

/**
 * Recognises danger, individual cases and requests for a human by multilingual patterns over
 * normalised text (signal-patterns.json). All languages are checked for every message: people mix
 * languages, and a missed safety message is the worst failure. Safety is checked first. Patterns
 * are folded like the text (accents, Arabic-script variants, Cyrillic), so they may be written either way.
 */
export class PatternEscalationClassifier implements EscalationClassifier {
  private readonly patterns: Map<SignalReason, RegExp[]>;
  private readonly rules: Map<SignalReason, RegExp[][][]>;

  constructor(source: unknown = readJson('signal-patterns.json'), conceptSource: unknown = readJson('signal-concepts.json')) {
    const compile = (pattern: string) => new RegExp(foldLetters(pattern), 'u');
    const parsed = patternFileSchema.parse(source);
    this.patterns = new Map(REASONS.map((reason) => [reason, Object.values(parsed[reason] ?? {}).flat().map(compile)]));
    const concepts = conceptFileSchema.parse(conceptSource);
    const compiled = new Map(Object.entries(concepts.concepts).map(([name, patterns]) => [name, patterns.map(compile)]));
    this.rules = new Map(
      REASONS.map((reason) => [
        reason,
        (concepts.rules[reason] ?? []).map((rule) =>
          rule.map((name) => {
            const found = compiled.get(name);
            if (!found) throw new Error(`signal-concepts.json: rule for ${reason} names unknown concept "${name}"`);
            return found;
          }),
        ),
      ]),
    );
  }

  classify(text: string): SignalReason | undefined {
    const normalized = ` ${normalizeText(text)} `;
    const matches = (patterns: RegExp[]) => patterns.some((pattern) => pattern.test(normalized));
    return REASONS.find((reason) => matches(this.patterns.get(reason)!) || this.rules.get(reason)!.some((rule) => rule.every(matches)));
  }
}
