import { describe, expect, it } from 'vitest';
import { MemoryNoticeSubscriptions } from '../../../src/notices/memory-subscriptions.js';
import { testEngine } from '../../helpers/engine.js';

/** The whole pipeline with subscriptions in memory; users on Telegram unless a test says otherwise. */
async function engine() {
  const e = await testEngine();
  const notices = new MemoryNoticeSubscriptions();
  e.deps.notices = notices;
  const consented = async (userId: string, channel = 'telegram', first = 'Hello') => {
    const u = e.user(userId, channel);
    await u.send(first);
    await u.send('yes');
    return u;
  };
  return { ...e, notices, consented };
}

const texts = (result: { replies: { text: string }[] }) => result.replies.map((reply) => reply.text).join('\n');

describe('asking for event notices in the conversation', () => {
  it('subscribes with the profile, confirms in the user’s language with how to stop, and stops on "stop notices"', async () => {
    const e = await engine();
    const u = await e.consented('100', 'telegram', 'Bonjour');
    const on = await u.send("Prévenez-moi des salons de l'emploi et des formations");
    expect(on.replies).toHaveLength(1);
    expect(on.replies[0]!.language).toBe('fr');
    expect(texts(on)).toContain('"stop avis"');
    // No country or audience yet: a hint to tell them.
    expect(texts(on)).toContain('"profil"');
    expect(await e.notices.get('telegram:100')).toMatchObject({ channel: 'telegram', userId: '100', language: 'fr', country: undefined, audience: undefined });
    expect((await e.stores.conversations.get('telegram:100'))!.noticeSubscriber).toBe(true);

    const again = await u.send('notify me about job fairs and trainings');
    expect(texts(again)).toMatch(/déjà/);

    const off = await u.send('stop avis');
    expect(texts(off)).toMatch(/plus d'avis/);
    expect(await e.notices.get('telegram:100')).toBeUndefined();
    expect((await u.send('unsubscribe')).replies[0]!.text).toMatch(/aucun avis/);
  });

  it('keeps the subscription in step when the profile changes on later turns', async () => {
    const e = await engine();
    const u = await e.consented('101');
    await u.send('notify me about job fairs and trainings');
    await u.send('profile');
    await u.send('Ghana');
    const saved = await u.send('go');
    expect(texts(saved)).toMatch(/Thank you/);
    expect(await e.notices.get('telegram:101')).toMatchObject({ language: 'en', country: 'GH', audience: 'prospective' });
    await u.send('language');
    await u.send('Deutsch');
    expect(await e.notices.get('telegram:101')).toMatchObject({ language: 'de', country: 'GH' });
  });

  it('only after the privacy notice: a request before it is held like a question and done right after "yes"', async () => {
    const e = await engine();
    const u = e.user('102', 'telegram');
    const first = await u.send('notify me about job fairs and trainings');
    expect(first.replies[0]!.buttons?.map((b) => b.action)).toEqual(['choice:yes', 'choice:no']);
    expect(await e.notices.get('telegram:102')).toBeUndefined();
    const yes = await u.send('yes');
    expect(texts(yes)).toMatch(/"stop notices"/);
    expect(await e.notices.get('telegram:102')).toMatchObject({ language: 'en' });
    const no = e.user('103', 'telegram');
    await no.send('notify me about job fairs and trainings');
    await no.send('no');
    expect(await e.notices.get('telegram:103')).toBeUndefined();
  });

  it('tells web chat users honestly that notices need Telegram or WhatsApp, and offers them only where they work', async () => {
    const e = await engine();
    const web = await e.consented('w1', 'web');
    const asked = await web.send('notify me about job fairs and trainings');
    expect(texts(asked)).toMatch(/only be sent on Telegram or WhatsApp/);
    expect(e.notices.subscriptions.size).toBe(0);
    expect(texts(await web.send('help'))).not.toMatch(/job fairs/);
    const telegram = await e.consented('104');
    const help = texts(await telegram.send('help'));
    expect(help).toContain('"notify me about job fairs and trainings"');
    // The offer sits with the other choices, before the closing sentence.
    expect(help.trim().split('\n').at(-1)).toMatch(/^I give general information/);
  });

  it('a bare "stop" ends the notices of a subscriber only; for anyone else it is an ordinary message', async () => {
    const e = await engine();
    const subscriber = await e.consented('105', 'whatsapp');
    await subscriber.send('notify me about job fairs and trainings');
    const stop = await subscriber.send('STOP');
    expect(texts(stop)).toMatch(/no more event notices/);
    expect(await e.notices.get('whatsapp:105')).toBeUndefined();
    const other = await e.consented('106', 'whatsapp');
    const ordinary = await other.send('stop');
    expect(texts(ordinary)).not.toMatch(/event notices/);
  });

  it('questions that mention the words are answered as questions', async () => {
    const e = await engine();
    const u = await e.consented('107');
    await u.send('I want to stop my training');
    await u.send('How do I find job fairs in Germany?');
    expect(e.notices.subscriptions.size).toBe(0);
  });

  it('"delete" erases the subscription with everything else', async () => {
    const e = await engine();
    const erased: string[] = [];
    e.deps.erasure.push({ name: 'event notice subscriptions', erase: async (key) => void (erased.push(key), await e.notices.unsubscribe(key)) });
    const u = await e.consented('108');
    await u.send('notify me about job fairs and trainings');
    await u.send('delete');
    expect(erased).toEqual(['telegram:108']);
    expect(await e.notices.get('telegram:108')).toBeUndefined();
  });
});
