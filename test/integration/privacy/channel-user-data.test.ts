import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CHANNELS, channelParticipants } from '../../../src/channels/registry.js';
import { ConversationWindow } from '../../../src/channels/whatsapp/cloud/window.js';
import { stashMedia } from '../../../src/channels/whatsapp/web/media.js';
import { waWebKeys } from '../../../src/channels/whatsapp/web/keys.js';
import { WebSender } from '../../../src/channels/web/outbound.js';
import type { ErasureParticipant } from '../../../src/core/ports.js';
import { createRedis } from '../../../src/infra/redis.js';
import { deleteKeys } from '../../helpers/redis-keys.js';
import { everything } from '../../helpers/stored-data.js';

const redis = createRedis(inject('redisUrl'), 'client');
const prefix = `test:channel-data:${randomUUID().slice(0, 8)}:`;
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

const participants = channelParticipants({ redis, keyPrefix: prefix });
const exportAll = async (key: string) => Object.fromEntries(await Promise.all(participants.map(async (p: ErasureParticipant) => [p.name, (await p.export?.(key)) ?? null] as const)));
const eraseAll = async (key: string) => {
  for (const participant of participants) await participant.erase(key);
};
const user = (name: string) => CHANNELS.find((channel) => channel.name === name)!.userData;

describe("what the channels keep of a user, apart from the conversation (on Redis)", () => {
  it('reads the ids an operator types, in the form Lotse keeps them', () => {
    expect(user('whatsapp').parseUserId('+49 176 1234-5678')).toBe('4917612345678');
    expect(user('whatsapp').parseUserId('lid:123456789')).toBe('lid:123456789');
    expect(user('whatsapp').parseUserId('017612345678x')).toBeUndefined();
    expect(user('telegram').parseUserId('123456789')).toBe('123456789');
    expect(user('telegram').parseUserId('@someone')).toBeUndefined();
    expect(user('web').parseUserId('0123456789abcdef0123456789abcdef01234567')).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(user('web').parseUserId('short')).toBeUndefined();
  });

  it("the web chat's replies and request counters of a session: shown, then erased; another session's stay", async () => {
    const session = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
    const other = 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0';
    const sender = new WebSender(redis, prefix);
    for (const userId of [session, other]) await sender.send({ id: `web:${userId}:1:0`, channel: 'web', userId, text: `Hello **${userId.slice(0, 4)}**, about Ludovica`, language: 'en', direction: 'ltr' });
    await redis.set(`${prefix}web:rate:session:messages:${session}`, '3', 'PX', 60_000);
    const exported = await exportAll(`web:${session}`);
    expect(exported['web chat replies']).toEqual([expect.objectContaining({ text: 'Hello **a1b2**, about Ludovica', language: 'en', sentAt: expect.any(String) })]);
    await eraseAll(`web:${session}`);
    expect((await exportAll(`web:${session}`))['web chat replies']).toBeNull();
    const stored = await everything([prefix]);
    expect(stored).not.toContain(session);
    expect(stored).toContain(other);
  });

  it("WhatsApp's 24-hour window and held replies, and WhatsApp Web's choices, files and relayed sends: shown, then erased", async () => {
    const phone = '4915550004444';
    const other = '4915550005555';
    const window = new ConversationWindow(redis, prefix, { windowMs: 86_400_000, warnBeforeMs: 3_600_000 });
    await window.opened(phone, Date.parse('2026-11-30T10:00:00Z'));
    await window.hold(phone, JSON.stringify({ id: 'r1', text: 'Held for Eustace' }), 'r1');
    const keys = waWebKeys(prefix);
    await redis.set(keys.options(phone), JSON.stringify(['choice:yes', 'choice:no']), 'EX', 60);
    await stashMedia(redis, prefix, `${phone}:ABC123`, { data: Buffer.from('Eustace-scan'), mimeType: 'image/png', fileName: 'scan.png' });
    await redis.rpush(keys.outbox, JSON.stringify({ id: 'q1', chatId: `${phone}@c.us`, text: 'Relayed to Eustace', deadline: Date.now() + 5_000 }), JSON.stringify({ id: 'q2', chatId: `${other}@c.us`, text: 'for someone else', deadline: Date.now() + 5_000 }));
    await redis.pexpire(keys.outbox, 60_000);

    const exported = await exportAll(`whatsapp:${phone}`);
    expect(exported['whatsapp window and held replies']).toEqual({ lastMessageAt: '2026-11-30T10:00:00.000Z', heldReplies: [{ id: 'r1', text: 'Held for Eustace' }] });
    expect(exported['whatsapp web choices and files']).toEqual({
      choicesOffered: ['choice:yes', 'choice:no'],
      files: [{ message: 'ABC123', fileName: 'scan.png', mimeType: 'image/png', bytes: 12, dataBase64: Buffer.from('Eustace-scan').toString('base64') }],
      repliesWaitingForThePhone: [{ text: 'Relayed to Eustace' }],
    });
    // Another channel's key is none of theirs.
    expect(Object.values(await exportAll('telegram:4915550004444')).every((held) => held === null)).toBe(true);

    await eraseAll(`whatsapp:${phone}`);
    expect(Object.values(await exportAll(`whatsapp:${phone}`)).every((held) => held === null)).toBe(true);
    const stored = await everything([prefix]);
    expect(stored).not.toContain(phone);
    expect(stored).not.toContain('Eustace');
    expect(stored).toContain('for someone else');
  });
});
