import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClientFactory } from '../helpers/fake-wweb-client.js';
import { runLotse } from '../helpers/running-lotse.js';

const running: Awaited<ReturnType<typeof runLotse>>[] = [];
afterEach(async () => {
  // The last one started deletes the shared prefixes' keys; the others only stop.
  const all = running.splice(0);
  for (const lotse of all.slice(0, -1)) await lotse.stop();
  await all.at(-1)?.cleanup();
});

// The browser is never started: a fake client with whatsapp-web.js's events and methods stands in.
// CHROMIUM_PATH only has to exist for the configuration check.
const ENV = { WHATSAPP_WEB_ENABLED: 'true', CHROMIUM_PATH: process.execPath };
const USER = '233241234567@c.us';

const sentTo = (factory: FakeClientFactory) => factory.clients.flatMap((client) => client.sent).filter((sent) => sent.chatId === USER);

describe('WhatsApp through whatsapp-web.js, the whole app', () => {
  it('links by QR code, answers in WhatsApp syntax with numbered choices, and takes a number as the button', async () => {
    const factory = new FakeClientFactory();
    const lotse = await runLotse(ENV, undefined, { whatsappWebClient: factory.create });
    running.push(lotse);
    const whatsapp = lotse.channels.find((channel) => channel.name === 'whatsapp')!;
    expect(whatsapp.describe()).toMatch(/whatsapp-web\.js/);
    await vi.waitFor(() => expect(factory.last?.initialized).toBe(true), { timeout: 10_000 });
    factory.last!.link();

    factory.last!.receive({ from: USER, body: 'Hello' });
    await vi.waitFor(() => expect(sentTo(factory).length).toBeGreaterThan(0), { timeout: 20_000 });
    const notice = sentTo(factory).at(-1)!.content;
    expect(notice).toMatch(/Reply with the number of your choice:\n1\. .+\n2\. .+/);

    factory.last!.receive({ from: USER, body: '1' });
    await vi.waitFor(() => expect(sentTo(factory).length).toBeGreaterThan(1), { timeout: 20_000 });
    factory.last!.receive({ from: USER, body: 'What is the Opportunity Card?' });
    await vi.waitFor(() => expect(sentTo(factory).some((sent) => /Opportunity Card/i.test(sent.content) && /https:\/\//.test(sent.content))).toBe(true), { timeout: 20_000 });
    const answer = sentTo(factory).find((sent) => /Sources:/.test(sent.content))!.content;
    // WhatsApp's own syntax: no Markdown link brackets, no double asterisks, no HTML.
    expect(answer).not.toMatch(/\]\(|\*\*|<\/?[a-z]+>/);
  });

  it('a sender process without the client relays its replies through Redis to the gateway that holds it', async () => {
    const factory = new FakeClientFactory();
    factory.linked = true;
    const gateway = await runLotse(ENV, { gateway: true, worker: true, sender: false }, { whatsappWebClient: factory.create });
    running.push(gateway);
    const sender = await runLotse(ENV, { gateway: false, worker: false, sender: true }, { queuePrefix: gateway.queuePrefix, keyPrefix: gateway.keyPrefix });
    running.push(sender);
    await vi.waitFor(() => expect(factory.last?.initialized).toBe(true), { timeout: 10_000 });
    factory.last!.receive({ from: USER, body: 'Hello' });
    await vi.waitFor(() => expect(sentTo(factory).length).toBeGreaterThan(0), { timeout: 30_000 });
    // Only the gateway ever made a client: the sender's reply went through the relay.
    expect(factory.clients).toHaveLength(1);
  });
});
