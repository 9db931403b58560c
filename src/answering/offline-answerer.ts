import type { Answer } from '../core/answer.js';
import type { Answerer, AnswerInput } from '../core/ports.js';
import type { ExtractiveAnswerer } from './extractive-answerer.js';

/** The Answerer port without any online service: the extractive answer. */
export class OfflineAnswerer implements Answerer {
  constructor(private readonly extractive: ExtractiveAnswerer) {}

  async answer(input: AnswerInput): Promise<Answer> {
    return this.extractive.answer(input.question, input.language, input.retrieval);
  }
}
