import type { Translator } from '../ports.js';
import { normalizeText } from '../text/normalize-text.js';

/**
 * What a message asks of event notices: to get them, to stop them, or a bare "stop" (which ends
 * them only for a subscriber with nothing else going on; see the step).
 */
export type NoticeRequest = 'subscribe' | 'unsubscribe' | 'stop';

/**
 * The kinds of words a request is made of, from each locale's `notices.words`:
 * - `subscribeVerbs` ("subscribe") ask for notices on their own or with what they are about;
 * - `notifyMe` ("notify me", "keep me informed") need what to notify about: events or notices;
 * - `switchOn` ("turn on") needs the notices themselves;
 * - `unsubscribeVerbs` ("unsubscribe") end them alone, or with notices named, never with an event alone
 *   ("unregister from the training" is about the training);
 * - `stopSending` ("stop", "no more") end them only when notices are named ("stop my training" does not);
 * - `notices` ("notifications"), `events` ("job fairs", "trainings") and `fillers` ("about", "please").
 * A message is a request only when every word of it is one of these: a question ("how do I find
 * job fairs?") or anything else ("I want to stop my training") has words of its own and is not.
 */
const KINDS = ['unsubscribeVerbs', 'subscribeVerbs', 'stopSending', 'notifyMe', 'switchOn', 'notices', 'events', 'fillers'] as const;
type Kind = (typeof KINDS)[number];

/** Longer messages are questions or stories, not requests. */
const MAX_WORDS = 14;

interface Phrasebook {
  exact: { subscribe: Set<string>; unsubscribe: Set<string>; stop: Set<string> };
  /** Normalised phrase -> its kind (the first kind in KINDS that has it). */
  phrases: Map<string, Kind>;
  longest: number;
}

const books = new WeakMap<Translator, Phrasebook>();

function phrasebook(translator: Translator): Phrasebook {
  let book = books.get(translator);
  if (book) return book;
  const words = (key: string) => translator.words(`notices.words.${key}`);
  const phrases = new Map<string, Kind>();
  for (const kind of KINDS) for (const phrase of words(kind)) if (!phrases.has(phrase)) phrases.set(phrase, kind);
  book = {
    exact: { subscribe: new Set(words('subscribe')), unsubscribe: new Set(words('unsubscribe')), stop: new Set(words('stop')) },
    phrases,
    longest: Math.max(1, ...[...phrases.keys()].map((phrase) => phrase.split(' ').length)),
  };
  books.set(translator, book);
  return book;
}

/** How many words of each kind the message is made of, or undefined when a word is none of them. */
function cover(tokens: string[], book: Phrasebook): Record<Kind, number> | undefined {
  const counts = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<Kind, number>;
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    for (let length = Math.min(book.longest, tokens.length - i); length > 0 && matched === 0; length--) {
      const kind = book.phrases.get(tokens.slice(i, i + length).join(' '));
      if (kind) {
        counts[kind] += 1;
        matched = length;
      }
    }
    if (matched === 0) return undefined;
    i += matched;
  }
  return counts;
}

/**
 * The notice request a message is, in any of the ten languages: one of the fixed phrases (the
 * whole message), or a message made only of request words (see KINDS) that asks clearly.
 */
export function recogniseNoticeRequest(text: string, translator: Translator): NoticeRequest | undefined {
  const normalized = normalizeText(text.replace(/^\//, ''));
  if (normalized === '') return undefined;
  const book = phrasebook(translator);
  if (book.exact.unsubscribe.has(normalized)) return 'unsubscribe';
  if (book.exact.subscribe.has(normalized)) return 'subscribe';
  if (book.exact.stop.has(normalized)) return 'stop';
  const tokens = normalized.split(' ');
  if (tokens.length > MAX_WORDS) return undefined;
  const n = cover(tokens, book);
  if (!n) return undefined;
  const on = n.subscribeVerbs + n.notifyMe + n.switchOn;
  const off = n.unsubscribeVerbs + n.stopSending;
  // "Don't subscribe me" and the like: unclear, so neither.
  if (on > 0 && off > 0) return undefined;
  if (off > 0) return (n.unsubscribeVerbs > 0 && (n.notices > 0 || n.events === 0)) || (n.stopSending > 0 && n.notices > 0) ? 'unsubscribe' : undefined;
  if (on > 0) return n.subscribeVerbs > 0 || (n.notifyMe > 0 && n.events + n.notices > 0) || (n.switchOn > 0 && n.notices > 0) ? 'subscribe' : undefined;
  // "Job fair notifications, please."
  return n.notices > 0 && n.events > 0 ? 'subscribe' : undefined;
}
