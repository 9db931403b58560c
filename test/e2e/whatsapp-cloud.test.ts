import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGraphApiServer, signedWebhook, WebhookBuilder } from '../helpers/fake-graph-api-server.js';
import { runLotse } from '../helpers/running-lotse.js';

const APP_SECRET = 'e2e-app-secret';
let graph: FakeGraphApiServer;
const running: Awaited<ReturnType<typeof runLotse>>[] = [];
const build = new WebhookBuilder();

beforeEach(async () => {
  graph = await new FakeGraphApiServer().start();
});
afterEach(async () => {
  for (const lotse of running.splice(0)) await lotse.cleanup();
  await graph.close();
});

async function start() {
  const lotse = await runLotse({
    WHATSAPP_CLOUD_TOKEN: graph.token,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: graph.phoneNumberId,
    WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'e2e-verify-token',
    WHATSAPP_GRAPH_API_URL: graph.url,
  });
  running.push(lotse);
  const post = (body: unknown, secret = APP_SECRET) => {
    const { payload, signature } = signedWebhook(body, secret);
    return fetch(`${lotse.url}/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: payload });
  };
  const write = async (message: Record<string, unknown>) => expect((await post(build.body({ messages: [message] }))).status).toBe(200);
  return { lotse, post, write };
}

type Sent = { type?: string; text?: { body: string }; interactive?: { type: string; body: { text: string }; action: { buttons?: { reply: { id: string } }[]; sections?: { rows: { id: string }[] }[] } } };

/** The action ids a sent message offers (reply buttons or list rows). */
const actions = (message: Sent) => [...(message.interactive?.action.buttons?.map((b) => b.reply.id) ?? []), ...(message.interactive?.action.sections?.flatMap((s) => s.rows.map((r) => r.id)) ?? [])];
const textOf = (message: Sent) => message.text?.body ?? message.interactive?.body.text ?? '';
const sentTo = (user: string) => graph.messagesTo(user) as Sent[];

describe('WhatsApp through the Cloud API, the whole app', () => {
  it('consent by button, then a question answered as text through the Graph API', async () => {
    const { write } = await start();
    const user = '4917611110001';
    await write(build.text(user, 'Hello'));
    await graph.until(() => sentTo(user).length >= 1, 20_000, 'the privacy notice');
    const notice = sentTo(user).at(-1)!;
    expect(notice.type).toBe('interactive');
    expect(actions(notice)).toEqual(expect.arrayContaining(['choice:yes', 'choice:no']));
    expect(graph.calls[0]!.authorization).toBe(`Bearer ${graph.token}`);

    const before = sentTo(user).length;
    await write(build.choice(user, 'choice:yes', 'Yes'));
    await graph.until(() => sentTo(user).length > before, 20_000, 'the consent confirmation');

    await new Promise((resolve) => setTimeout(resolve, 500));
    const asked = sentTo(user).length;
    await write(build.text(user, 'What is the Opportunity Card?'));
    await graph.until(() => sentTo(user).length > asked, 20_000, 'the answer');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const answer = sentTo(user).slice(asked).map(textOf).join('\n');
    expect(answer).toMatch(/Opportunity Card|Chancenkarte/i);
    // WhatsApp's own syntax: no Markdown left over.
    expect(answer).not.toMatch(/\*\*|\]\(/);
  });

  it('the same webhook delivered twice is answered once', async () => {
    const { post } = await start();
    const user = '4917611110002';
    const body = build.body({ messages: [build.text(user, 'Hello')] });
    expect((await post(body)).status).toBe(200);
    expect((await post(body)).status).toBe(200);
    await graph.until(() => sentTo(user).length >= 1, 20_000, 'the privacy notice');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sentTo(user)).toHaveLength(1);
  });

  it('a bad signature: 401, nothing answered; the subscription check answers the challenge', async () => {
    const { lotse, post } = await start();
    const user = '4917611110003';
    expect((await post(build.body({ messages: [build.text(user, 'Hello')] }), 'not-the-secret')).status).toBe(401);
    const check = await fetch(`${lotse.url}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=e2e-verify-token&hub.challenge=42`);
    expect(check.status).toBe(200);
    expect(await check.text()).toBe('42');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sentTo(user)).toHaveLength(0);
  });
});
