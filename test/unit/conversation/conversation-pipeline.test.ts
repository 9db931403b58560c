import { describe, expect, it } from 'vitest';
import type { MemoryCaseStore, MemoryConversationStore, MemoryDedupeStore } from '../../../src/conversation/memory-stores.js';
import { consentedUser, testEngine } from '../../helpers/engine.js';

describe('first contact and consent', () => {
  it('answers nothing before the user agrees, holds only the question, and answers it right after "oui"', async () => {
    const engine = await testEngine();
    const u = engine.user('u1');
    const first = await u.send('Combien de points faut-il pour la carte opportunité ?');
    expect(first.replies).toHaveLength(1);
    expect(first.replies[0]!.language).toBe('fr');
    expect(first.replies[0]!.text).toContain('Lotse');
    expect(first.replies[0]!.text).toContain('90');
    expect(first.replies[0]!.buttons?.map((b) => b.action)).toEqual(['choice:yes', 'choice:no']);
    expect(first.answer).toBeUndefined();
    const stored = await engine.stores.conversations.get('test:u1');
    expect(stored).toMatchObject({ consent: { status: 'pending' }, turns: [], language: 'fr', heldQuestion: 'Combien de points faut-il pour la carte opportunité ?' });

    const yes = await u.send('oui');
    expect((await engine.stores.conversations.get('test:u1'))!.consent.status).toBe('given');
    expect(yes.answer?.escalate).toBe(false);
    expect(yes.replies.at(-1)!.text).toMatch(/\b6\b/);
    const after = await engine.stores.conversations.get('test:u1');
    expect(after!.heldQuestion).toBeUndefined();
    expect(after!.turns[0]).toMatchObject({ role: 'user', text: 'Combien de points faut-il pour la carte opportunité ?' });
  });

  it('greets in the language of a greeting that only one language has', async () => {
    const engine = await testEngine();
    for (const [word, language] of [['Bonjour', 'fr'], ['Hallo', 'de'], ['Hola', 'es'], ['Xin chào', 'vi']] as const) {
      const first = await engine.user(`greet-${language}`).send(word);
      expect(first.replies[0]!.language, word).toBe(language);
    }
  });

  it('deletes the held question when the user says no', async () => {
    const engine = await testEngine();
    const u = engine.user('u1b');
    await u.send('Combien de points faut-il pour la carte opportunité ?');
    await u.send('non');
    const stored = await engine.stores.conversations.get('test:u1b');
    expect(stored!.consent.status).toBe('declined');
    expect(JSON.stringify(stored)).not.toContain('carte');
  });

  it('records a no, answers nothing after it, and starts over on "start"', async () => {
    const engine = await testEngine();
    const u = engine.user('u2');
    await u.send('hello there, I have a question');
    const no = await u.send('no');
    expect(no.replies[0]!.text).toContain('+49 30 1815-1111');
    const after = await u.send('How many points for the Opportunity Card?');
    expect(after.answer).toBeUndefined();
    const restart = await u.send('/start');
    expect(restart.replies[0]!.buttons).toHaveLength(2);
  });
});

describe('answering', () => {
  it('answers a question with sources, in the user language, and keeps the original text in the conversation', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u3');
    const result = await u.send('How many points do I need for the Opportunity Card? My number is +49 151 23456789');
    expect(result.escalation).toBeUndefined();
    expect(result.replies[0]!.text).toMatch(/at least 6 points/i);
    expect(result.replies[0]!.sources?.[0]?.id).toMatch(/^opportunity-card/);
    // The answerer (and so any LLM) sees the redacted question; the user's own conversation keeps the original.
    expect(engine.seen.at(-1)!.question).toContain('[phone]');
    expect(engine.seen.at(-1)!.question).not.toContain('23456789');
    const turns = (await engine.stores.conversations.get('test:u3'))!.turns;
    expect(turns.some((t) => t.role === 'user' && t.text.includes('+49 151 23456789'))).toBe(true);
  });

  it('scopes retrieval by the profile set in the short profile flow', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u4');
    expect((await u.send('profile')).replies[0]!.text).toMatch(/country/i);
    expect((await u.send('غانا')).replies[0]!.buttons?.map((b) => b.action)).toEqual(['choice:go', 'choice:returned']);
    await u.send('returned');
    expect((await engine.stores.conversations.get('test:u4'))!.profile).toEqual({ country: 'GH', audience: 'returnee' });
    const answer = await u.send('Who can help me find a job now that I am back home?');
    for (const passage of engine.seen.at(-1)!.retrieval.passages) {
      expect(passage.meta.countries.includes('all') || passage.meta.countries.includes('GH')).toBe(true);
    }
    expect(answer.replies.length).toBeGreaterThan(0);
  });

  it('answers borderline questions without opening a case, the advisor one tap away', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u12');
    const real = engine.deps.retriever;
    // Answers that pass the threshold, but only just (inside the "unresolved" band).
    engine.deps.retriever = { retrieve: async (query) => ({ ...(await real.retrieve(query)), confidence: 0.4, confident: true }) };
    for (const question of ['How many points do I need for the Opportunity Card?', 'And what about the funds for the Opportunity Card?']) {
      const result = await u.send(question);
      expect(result.escalation).toBeUndefined();
      expect(result.replies[0]!.sources?.length).toBeGreaterThan(0);
      expect(result.replies[0]!.buttons?.map((b) => b.action)).toContain('cmd:advisor');
    }
  });

  it('offers a rephrase first, and opens a low_confidence case only when the second try fails too', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u5');
    const real = engine.deps.retriever;
    engine.deps.retriever = { retrieve: async (query) => ({ ...(await real.retrieve(query)), confidence: 0.1, confident: false }) };
    const first = await u.send('Which permit do I need as a yoga teacher with a job offer in Hamburg?');
    expect(first.escalation).toBeUndefined();
    expect(first.openedCase).toBeUndefined();
    expect(first.replies[0]!.text).toMatch(/other words/);
    expect(first.replies[0]!.buttons?.map((b) => b.action)).toEqual(['cmd:advisor']);
    const second = await u.send('I teach yoga and a studio in Hamburg offered me a contract, what visa is that?');
    expect(second.escalation).toEqual({ reason: 'low_confidence' });
    expect(second.openedCase).toMatchObject({ reason: 'low_confidence', priority: 'normal' });
  });

  it('answers out-of-scope questions and chit-chat honestly, with examples, and opens no case', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u5b');
    const cake = await u.send('What is the best recipe for chocolate cake?');
    expect(cake.escalation).toBeUndefined();
    expect(cake.replies[0]!.text).toMatch(/can not help with that/);
    expect(cake.replies[0]!.text).toMatch(/EU Blue Card\?/);
    const chat = await u.send('how are you today?');
    expect(chat.escalation).toBeUndefined();
    expect(chat.replies[0]!.text).toMatch(/I am Lotse/);
    const weather = await u.send('Wie wird morgen das Wetter in Hamburg?');
    expect(weather.escalation).toBeUndefined();
    expect(weather.openedCase).toBeUndefined();
  });

  it('answers a question that only sounds like a request for a human, and offers the advisor instead of imposing one', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u5d', 'Bonjour');
    const result = await u.send("Tunisie: le centre GIZ à Tunis pour conseil migration et emploi il s'appelle comment?");
    expect(result.escalation).toBeUndefined();
    expect(result.openedCase).toBeUndefined();
    expect(result.replies.at(-1)!.buttons?.map((b) => b.action)).toContain('cmd:advisor');
    const explicit = await u.send('Je veux parler à un conseiller humain, s il vous plaît');
    expect(explicit.escalation).toEqual({ reason: 'user_request' });
  });

  it('gives the rest of an answer on "more"', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u5c');
    const answer = await u.send('How many points do I need for the Opportunity Card?');
    const more = answer.replies[0]!.buttons?.find((b) => b.action === 'cmd:more');
    expect(more).toBeDefined();
    const rest = await u.press('cmd:more');
    expect(rest.replies[0]!.text.length).toBeGreaterThan(20);
    expect(rest.replies[0]!.text).not.toBe(answer.replies[0]!.text);
    expect(rest.replies[0]!.sources?.length).toBeGreaterThan(0);
    const none = await u.send('more');
    expect(none.replies[0]!.text).toMatch(/That is all/);
  });
});

describe('commands in every language', () => {
  it('help, language and advisor as words and slash commands', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u6', "Bonjour, j'ai une question sur l'Allemagne");
    expect((await u.send('aide')).replies[0]!.text).toContain('conseill');
    expect((await u.send('/language')).replies[0]!.text).toContain('Deutsch');
    expect((await u.send('Deutsch')).replies[0]!.text).toMatch(/Deutsch/);
    const conversation = (await engine.stores.conversations.get('test:u6'))!;
    expect(conversation).toMatchObject({ language: 'de', languageLocked: true });
    // A chosen language stays, even when the user writes in another one.
    const english = await u.send('How many points do I need for the Opportunity Card?');
    expect(english.replies[0]!.language).toBe('de');
    const advisor = await u.send('/advisor');
    expect(advisor.escalation).toEqual({ reason: 'user_request' });
    expect(advisor.openedCase).toMatchObject({ reason: 'user_request', language: 'de' });
  });

  it('follows the user into another language when they did not choose one', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u7', 'Hello');
    const reply = await u.send('Wie viele Punkte brauche ich für die Chancenkarte?');
    expect(reply.replies[0]!.language).toBe('de');
    expect(reply.replies[0]!.sourceLabels?.heading).toBe('Quellen');
    expect(reply.answer?.answer).toContain('Quellen');
  });

  it('delete erases every trace: conversation, cases, dedupe records', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u8');
    await u.send('I want to talk to a human advisor please');
    const stores = engine.stores as { conversations: MemoryConversationStore; cases: MemoryCaseStore; dedupe: MemoryDedupeStore };
    expect(stores.cases.items.size).toBe(1);
    const result = await u.send('delete');
    expect(result.erased).toBe(true);
    expect(result.replies[0]!.text).toMatch(/deleted/);
    expect(stores.conversations.items.size).toBe(0);
    expect(stores.cases.items.size).toBe(0);
    expect([...stores.dedupe.seen.keys()].filter((id) => id.startsWith('test:u8:'))).toEqual([]);
  });
});

describe('escalation and safety', () => {
  it('gives emergency contacts for the user country at once, then opens an urgent case', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u9');
    await u.send('profile');
    await u.send('Nigeria');
    await u.send('skip');
    const result = await u.send('The agent took my passport and I have not been paid for three months, they lock us in');
    expect(result.escalation).toEqual({ reason: 'safety', danger: 'trafficking_exploitation' });
    expect(result.openedCase).toMatchObject({ priority: 'urgent', reason: 'safety', danger: 'trafficking_exploitation', country: 'NG' });
    const [contacts, wait] = result.replies;
    expect(contacts!.text).toContain('Nigeria');
    expect(contacts!.text).toContain('110');
    expect(wait!.text).toMatch(/15 minutes/);
    expect(result.openedCase!.brief).toContain('passport');
  });

  it('waiting is not a trap: general questions are still answered (and shown to the advisors), safety still screened, "cancel" goes back', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u10');
    const asked = await u.send('advisor');
    expect(asked.replies.at(-1)!.text).toMatch(/^Nobody is waiting before you\. Expected wait: about \d+ minutes/);
    expect(asked.replies.at(-1)!.buttons?.map((b) => b.action)).toEqual(['handoff:cancel', 'handoff:woman']);
    const waiting = await u.send('How many points do I need for the Opportunity Card?');
    expect(waiting.answer).toBeDefined();
    expect(waiting.replies[0]!.text).toMatch(/at least 6 points/i);
    const cases = engine.stores.cases as unknown as { events: { type: string; text: string }[] };
    expect(cases.events.map((e) => e.type)).toEqual(['user_message', 'bot_answer']);
    const danger = await u.send('I want to kill myself');
    expect(danger.replies[0]!.text).toContain('0800 111 0 111');
    const back = await u.send('cancel');
    expect(back.replies[0]!.text).toMatch(/cancelled/);
    expect((await engine.stores.conversations.get('test:u10'))!.state).toBe('bot');
  });

  it('tells the first in line that nobody waits before them, and the next how many do', async () => {
    const engine = await testEngine();
    const first = await consentedUser(engine, 'q1');
    expect((await first.send('advisor')).replies.at(-1)!.text).toMatch(/^Nobody is waiting before you\./);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await consentedUser(engine, 'q2');
    expect((await second.send('advisor')).replies.at(-1)!.text).toMatch(/^There is 1 conversation ahead of you\./);
  });

  it('a greeting or a thank-you gets a friendly reply and never opens a case', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'u12');
    for (const text of ['hello', 'Hi!', 'Bonjour', 'مرحبا', 'السلام عليكم', 'hola', 'xin chào', 'thanks', 'merci beaucoup', 'شكرا', 'terima kasih']) {
      const result = await u.send(text);
      expect(result.escalation, text).toBeUndefined();
      expect(result.openedCase, text).toBeUndefined();
      expect(result.replies, text).toHaveLength(1);
    }
  });

  it('a redelivered message is a no-op', async () => {
    const engine = await testEngine();
    await consentedUser(engine, 'u11');
    const message = { id: 'test:u11:fixed', channel: 'test', userId: 'u11', kind: 'text' as const, text: 'help', receivedAt: new Date().toISOString() };
    expect((await engine.handle(message)).replies).toHaveLength(1);
    const again = await engine.handle(message);
    expect(again).toMatchObject({ duplicate: true, replies: [] });
  });
});
