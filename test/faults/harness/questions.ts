import type { ChatRequest } from '../../helpers/fake-openai-server.js';

/**
 * English questions that reliably reach the LLM: retrieval confidence 0.82–1.00 with a marker
 * appended (threshold 0.35, borderline band up to 0.50; two borderline answers in a row escalate),
 * no escalation signal. Checked with one conversation by test/faults/smoke.test.ts. Not used:
 * "How do I get my diploma recognised in Germany?" drops to 0.34 with a marker and escalates.
 */
export const QUESTIONS = [
  'How much money do I have to put in the blocked account for the opportunity card visa?',
  'Can I work full time while I am looking for a job on the opportunity card?',
  'Does the Blue Card need German, and what level do I need later for permanent residence?',
  'I am a software developer without a university degree, can I still get the EU Blue Card?',
  'What German level do I need for vocational training in Germany?',
  'How many points do I need for the Opportunity Card?',
];

/** A question's unique marker: conversation number and question number. */
export const marker = (conversation: number, question: number) => `ref c${conversation}-q${question}`;

const MARKER = /ref c(\d+)-q(\d+)/g;

/** Every marker in a text, in order. */
export function markersIn(text: string): string[] {
  return [...text.matchAll(MARKER)].map((m) => m[0]);
}

/** The question number of a marker. */
export const questionNumber = (m: string) => Number(/-q(\d+)$/.exec(m)?.[1] ?? Number.NaN);

/** The text a conversation sends as its question number `question`. */
export function questionText(conversation: number, question: number): string {
  return `${QUESTIONS[(conversation + question) % QUESTIONS.length]} (${marker(conversation, question)})`;
}

/**
 * The fake LLM's answer: echoes the marker of the user's message (the last marker in the last
 * message, since earlier turns come before the question in the prompt), citing passage [1].
 */
export function echoMarker(request: ChatRequest): string {
  const last = request.messages.at(-1)?.content ?? '';
  const found = markersIn(typeof last === 'string' ? last : JSON.stringify(last)).at(-1);
  return found ? `Here is what the passages say about your question (${found}) [1].` : 'Here is what the passages say [1].';
}
