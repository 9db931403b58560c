import { describe, expect, it } from 'vitest';
import { groupQuestions } from '../../../src/statistics/question-groups.js';
import type { UnansweredQuestion } from '../../../src/statistics/unanswered-questions.js';

let n = 0;
const question = (text: string, language = 'en', conversation = `c${n}`): UnansweredQuestion => {
  n += 1;
  return { id: String(n).padStart(16, '0'), at: new Date(Date.UTC(2026, 2, 1, 0, n)).toISOString(), day: '2026-03-01', language, text, conversation };
};

describe('grouping unanswered questions', () => {
  it('puts questions that ask the same thing together and keeps different ones apart', () => {
    const questions = [
      question('Can I bring my dog to Germany? Call me at [phone]', 'ar', 'a'),
      question('Can I take my dog with me to Germany?', 'fr', 'b'),
      question('Can I take my dog with me to Germany?', 'fr', 'b'),
      question('Can I bring my pet dog to Germany?', 'fr', 'c'),
      question('How do I get my nursing diploma recognised in Germany?', 'en', 'd'),
      question('how can i have my nurse diploma recognized in germany', 'en', 'e'),
      question('Where can I buy a bus ticket to Munich?', 'en', 'f'),
      question('[phone]', 'en', 'g'),
      question('[email]', 'en', 'h'),
    ];
    const groups = groupQuestions(questions);
    const of = (text: string) => groups.find((group) => group.example === text || group.more.includes(text));
    const dog = of('Can I take my dog with me to Germany?')!;
    expect(dog.count).toBe(4);
    expect(dog.conversations).toBe(3);
    expect(dog.languages).toEqual([{ language: 'fr', count: 3 }, { language: 'ar', count: 1 }]);
    // Each text once among the examples.
    expect([dog.example, ...dog.more].sort()).toEqual(['Can I bring my dog to Germany? Call me at [phone]', 'Can I bring my pet dog to Germany?', 'Can I take my dog with me to Germany?']);
    expect(groups[0]).toBe(dog);
    const nursing = of('How do I get my nursing diploma recognised in Germany?')!;
    expect(nursing.count).toBe(2);
    expect(nursing).not.toBe(dog);
    const bus = of('Where can I buy a bus ticket to Munich?')!;
    expect(bus.count).toBe(1);
    expect(new Set([dog, nursing, bus]).size).toBe(3);
    // Questions of nothing but redacted data say nothing alike.
    expect(of('[phone]')).not.toBe(of('[email]'));
    expect(groups.reduce((sum, group) => sum + group.count, 0)).toBe(questions.length);
    expect(dog.questionIds).toHaveLength(4);
    expect(dog.firstAt < dog.lastAt).toBe(true);
  });

  it('groups a thousand questions in well under a second', () => {
    const topics = ['dog to Germany', 'nursing diploma recognition', 'bus ticket Munich', 'pension refund from abroad', 'driving licence exchange'];
    const many = Array.from({ length: 1000 }, (_, i) => question(`Question ${i % 7} about the ${topics[i % topics.length]} please number ${i}`));
    const started = performance.now();
    const groups = groupQuestions(many);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(groups.reduce((sum, group) => sum + group.count, 0)).toBe(1000);
  });
});
