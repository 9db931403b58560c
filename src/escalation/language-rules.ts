import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../core/knowledge.js';
import type { SignalReason } from '../core/ports.js';
import { foldLetters, normalizeText } from '../core/text/normalize-text.js';

const REASONS: SignalReason[] = ['safety', 'sensitive', 'user_request'];

/** Ways of writing a language that belong to it: Arabizi to Arabic, Roman Urdu to Urdu, Nigerian Pidgin to English. */
export const WRITING_OF: Record<string, Language> = { 'ar-Latn': 'ar', 'ur-Latn': 'ur', pcm: 'en' };
const WRITINGS = [...LANGUAGES, ...Object.keys(WRITING_OF)] as [string, ...string[]];

const rulesSchema = z.partialRecord(z.enum(['safety', 'sensitive', 'user_request']), z.partialRecord(z.enum(WRITINGS), z.array(z.string())));

/** The ways of writing whose rules apply to a message in these languages. */
export function writingsOf(languages: readonly Language[]): string[] {
  return [...languages, ...Object.entries(WRITING_OF).filter(([, language]) => languages.includes(language)).map(([writing]) => writing)];
}

/**
 * The clearest signals, as patterns per language ("I want to kill myself", "talk to a human"): a
 * language's patterns run only on messages in that language (detected, or the conversation's) and
 * the ways of writing it, so that a word of one language never fires on an ordinary word of
 * another. They can only raise a signal the learned screen missed; each is checked against every
 * ordinary message of the training corpus (test/unit/escalation/language-rules.test.ts).
 */
export class LanguageRules {
  private readonly byWriting: Map<string, Map<SignalReason, RegExp[]>>;

  constructor(source: unknown) {
    const parsed = rulesSchema.parse(source);
    this.byWriting = new Map(
      WRITINGS.map((writing) => [writing, new Map(REASONS.map((reason) => [reason, (parsed[reason]?.[writing] ?? []).map((p) => new RegExp(foldLetters(p), 'u'))]))]),
    );
  }

  static load(): LanguageRules {
    return new LanguageRules(JSON.parse(readFileSync(new URL('./language-rules.json', import.meta.url), 'utf8')));
  }

  /** The strongest signal a rule of these ways of writing finds (safety first), with the pattern that found it. */
  match(text: string, writings: readonly string[]): { reason: SignalReason; pattern: string } | undefined {
    const normalized = ` ${normalizeText(text)} `;
    for (const reason of REASONS) {
      for (const writing of writings) {
        const found = this.byWriting.get(writing)?.get(reason)?.find((pattern) => pattern.test(normalized));
        if (found) return { reason, pattern: found.source };
      }
    }
    return undefined;
  }

  /** Every pattern with its reason and way of writing (for the precision check). */
  *patterns(): Generator<{ writing: string; reason: SignalReason; pattern: RegExp }> {
    for (const [writing, reasons] of this.byWriting) for (const [reason, patterns] of reasons) for (const pattern of patterns) yield { writing, reason, pattern };
  }
}
