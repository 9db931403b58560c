import type { Language } from '../core/knowledge.js';
import type { EscalationClassifier, ScreenVerdict } from '../core/ports.js';
import { LanguageRules, writingsOf } from './language-rules.js';
import { ScreenModel, screenModel } from './learned/screen-model.js';
import { textFeatures } from './learned/text-features.js';

/**
 * Above this probability the model alone hands a conversation to an advisor as a request for a
 * human; below it (and with no rule matching) the request is offered, not imposed. Questions that
 * merely mention advice ("le centre ... pour conseil", "can I swap my appointment") scored 0.47 to
 * 0.98 on the development answer set and in a trial ("Où se trouve le centre de conseil ?"); plain requests
 * for a person scored 0.9999 and above.
 */
const SURE_REQUEST = 0.995;

/**
 * The offline safety screen: a calibrated classifier over character n-grams, trained on the
 * labelled corpus (src/escalation/training), plus per-language rules for the clearest signals.
 * Danger outranks everything: a legal word in the same message does not make it "sensitive".
 */
export class LearnedEscalationScreen implements EscalationClassifier {
  constructor(
    private readonly model: ScreenModel = screenModel(),
    private readonly rules: LanguageRules = LanguageRules.load(),
  ) {}

  screen(text: string, languages: readonly Language[]): ScreenVerdict {
    const features = textFeatures(text);
    const p = this.model.probabilities(features);
    const { thresholds } = this.model.calibration;
    const decided = ScreenModel.decide(p, thresholds);
    let reason = decided === 'none' ? undefined : decided;
    const rule = this.rules.match(text, writingsOf(languages));
    if (rule && (rule.reason === 'safety' || !reason)) reason = rule.reason;
    const risk = p[1]!;
    const atRisk = reason === 'safety' || risk >= thresholds.risk;
    const tentative = reason === 'user_request' && !rule && p[3]! < SURE_REQUEST;
    return { reason, risk, atRisk, danger: atRisk ? this.model.danger(features) : undefined, ...(tentative ? { tentative } : {}) };
  }
}
