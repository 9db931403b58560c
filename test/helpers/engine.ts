import { loadConfig } from '../../src/config/config.js';
import { createEngine, memoryStores, type Stores } from '../../src/conversation/create-engine.js';
import type { InboundMessage } from '../../src/core/message.js';
import type { AnswerInput, Answerer } from '../../src/core/ports.js';
import { testRetriever } from './load-test-index.js';

/** The whole conversation pipeline over the real knowledge index, with the given stores (memory by default). */
export async function testEngine(options: { stores?: Stores; env?: NodeJS.ProcessEnv } = {}) {
  const stores = options.stores ?? memoryStores();
  const errors: { error: unknown; where: string }[] = [];
  const { handle, deps } = createEngine({
    config: loadConfig(options.env ?? {}),
    retriever: await testRetriever(),
    stores,
    onError: (error, where) => errors.push({ error, where }),
  });
  // Record what the answerer is given (the redacted question), without changing what it does.
  const seen: AnswerInput[] = [];
  const inner: Answerer = deps.answerer;
  deps.answerer = { answer: (input) => (seen.push(input), inner.answer(input)) };
  let n = 0;
  const user = (userId: string, channel = 'test') => ({
    send: (text: string, extra: Partial<InboundMessage> = {}) =>
      handle({ id: `${channel}:${userId}:${++n}`, channel, userId, kind: 'text', text, receivedAt: new Date().toISOString(), ...extra }),
    /** A button press: no text, just its action. */
    press: (action: string) => handle({ id: `${channel}:${userId}:${++n}`, channel, userId, kind: 'text', text: '', action, receivedAt: new Date().toISOString() }),
  });
  return { handle, deps, stores, errors, seen, user };
}

/** A user who has already agreed to the privacy notice. */
export async function consentedUser(engine: Awaited<ReturnType<typeof testEngine>>, userId: string, first = 'Hello') {
  const u = engine.user(userId);
  await u.send(first);
  await u.send('yes');
  return u;
}
