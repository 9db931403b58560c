import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LANGUAGES } from '../core/knowledge.js';
import type { EscalationClassifier, SignalReason } from '../core/ports.js';
import { foldLetters, normalizeText } from '../core/text/normalize-text.js';

const REASONS: SignalReason[] = ['safety', 'sensitive', 'user_request'];

const patternFileSchema = z.record(z.enum(['safety', 'sensitive', 'user_request']), z.record(z.enum(LANGUAGES), z.array(z.string())));

/**
 * Recognises danger, individual cases and requests for a human by multilingual patterns over
 * normalised text (signal-patterns.json). All languages are checked for every message: people mix
 * languages, and a missed safety message is the worst failure. Safety is checked first. Patterns
 * are folded like the text (accents, Arabic-script variants, Cyrillic), so they may be written either way.
 */
export class PatternEscalationClassifier implements EscalationClassifier {
  private readonly patterns: Map<SignalReason, RegExp[]>;

  constructor(source: unknown = JSON.parse(readFileSync(new URL('./signal-patterns.json', import.meta.url), 'utf8'))) {
    const parsed = patternFileSchema.parse(source);
    this.patterns = new Map(
      REASONS.map((reason) => [reason, Object.values(parsed[reason] ?? {}).flat().map((pattern) => new RegExp(foldLetters(pattern), 'u'))]),
    );
  }

  classify(text: string): SignalReason | undefined {
    const normalized = ` ${normalizeText(text)} `;
    return REASONS.find((reason) => this.patterns.get(reason)!.some((pattern) => pattern.test(normalized)));
  }
}
