import type { Scope, ScopeScreen } from '../core/ports.js';
import { scopeModel, type ScopeModel } from './scope-model.js';

export interface ScopeScreenOptions {
  /** Chit-chat only above this probability (default 0.8): a real question taken for small talk goes unanswered. */
  chitchat?: number;
  /** Probably out of scope above this probability (default 0.6): it counts when retrieval also finds nothing sure. */
  outOfScope?: number;
  /** Surely out of scope above this probability (default 0.9), whatever retrieval finds; no question of the development set reached it. */
  surelyOutOfScope?: number;
  /** Longer messages are never taken for chit-chat (default 12 words). */
  chitchatWords?: number;
}

/** The learned scope screen: chit-chat and out-of-scope questions from the service's subject. */
export class LearnedScopeScreen implements ScopeScreen {
  private readonly options: Required<ScopeScreenOptions>;

  constructor(
    options: ScopeScreenOptions = {},
    private readonly model: ScopeModel = scopeModel(),
  ) {
    this.options = { chitchat: 0.8, outOfScope: 0.6, surelyOutOfScope: 0.9, chitchatWords: 12, ...options };
  }

  classify(text: string): Scope {
    const p = this.model.classify(text);
    if (p.chitchat >= this.options.chitchat && text.split(/\s+/).length <= this.options.chitchatWords) return 'chitchat';
    if (p.out_of_scope >= this.options.surelyOutOfScope) return 'out_of_scope';
    if (p.out_of_scope >= this.options.outOfScope) return 'likely_out_of_scope';
    return 'in_scope';
  }
}
