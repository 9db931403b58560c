import { LANGUAGES, type Language } from '../core/knowledge.js';
import { LearnedEscalationScreen } from '../escalation/learned-screen.js';
import { loadTrainingCorpus } from '../escalation/learned/training-corpus.js';
import { LanguageService } from '../i18n/translator.js';
import { quantile } from './stats.js';

export interface ScreenBenchResult {
  messages: number;
  rounds: number;
  screen: { p50: number; p99: number };
  detect: { p50: number; p99: number };
}

const median = (values: number[]) => quantile(values, 0.5);

/**
 * One message screened offline (features, classifier, the language's rules), each message of the
 * training corpus in turn, against the baseline of detecting its language (which every turn does
 * anyway), alternating per message so that both see the same machine. Three rounds after a warm-up;
 * the medians of the rounds' percentiles.
 */
export function benchScreen(rounds = 3): ScreenBenchResult {
  const screen = new LearnedEscalationScreen();
  const languages = new LanguageService();
  const texts = loadTrainingCorpus().messages.map((m) => m.text);
  const run = () => {
    const screenMs: number[] = [];
    const detectMs: number[] = [];
    for (const text of texts) {
      let start = process.hrtime.bigint();
      const detected = languages.detect(text, 'en');
      detectMs.push(Number(process.hrtime.bigint() - start) / 1e6);
      const inConversation: Language[] = [LANGUAGES[text.length % LANGUAGES.length]!, detected.language];
      start = process.hrtime.bigint();
      screen.screen(text, inConversation);
      screenMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return { screen: screenMs, detect: detectMs };
  };
  run(); // warm-up: compilation and caches
  const results = Array.from({ length: rounds }, run);
  const summary = (key: 'screen' | 'detect') => ({
    p50: median(results.map((r) => quantile(r[key], 0.5))),
    p99: median(results.map((r) => quantile(r[key], 0.99))),
  });
  return { messages: texts.length, rounds, screen: summary('screen'), detect: summary('detect') };
}
