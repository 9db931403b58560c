import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';
import { runLotse } from '../helpers/running-lotse.js';

let telegram: FakeTelegramServer;
let openai: FakeOpenAiServer;
let lotse: Awaited<ReturnType<typeof runLotse>> | undefined;

beforeEach(async () => {
  telegram = await new FakeTelegramServer().start();
  openai = await new FakeOpenAiServer().start();
});
afterEach(async () => {
  await lotse?.cleanup();
  await telegram.stop();
  await openai.stop();
});

describe('Telegram voice notes with a transcription endpoint (TRANSCRIPTION_MODEL)', () => {
  it('are fetched, transcribed and answered like text', async () => {
    lotse = await runLotse(
      { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, OPENAI_BASE_URL: openai.baseUrl, TRANSCRIPTION_MODEL: 'whisper-1' },
      undefined,
      { telegramBotInfo: telegram.botInfo },
    );
    openai.transcript = 'How many points do I need for the Opportunity Card?';
    openai.behaviour = { kind: 'reply', content: 'You need at least 6 points for the Opportunity Card [1].' };
    telegram.pushUpdate(telegram.textUpdate(801, 'Hello, I have a question'));
    await telegram.until(() => telegram.messagesTo(801).length === 1);
    telegram.pushUpdate(telegram.callbackUpdate(801, 'choice:yes'));
    await telegram.until(() => telegram.messagesTo(801).length === 2);

    const voice = telegram.textUpdate(801, 'x');
    delete (voice.message as { text?: string }).text;
    (voice.message as Record<string, unknown>).voice = { file_id: 'voice-1', file_unique_id: 'v1', duration: 4, mime_type: 'audio/ogg' };
    telegram.pushUpdate(voice);
    await telegram.until(() => telegram.messagesTo(801).length === 3, 20_000, 'the answer to the voice note');

    expect(telegram.calls.some((c) => c.method === 'getFile' && c.body.file_id === 'voice-1')).toBe(true);
    expect(openai.transcriptions).toHaveLength(1);
    expect(openai.transcriptions[0]).toContain('whisper-1');
    expect(openai.transcriptions[0]).toContain('OggS-fake-voice');
    const answer = telegram.messagesTo(801)[2]!;
    expect(answer.text).toContain('at least 6 points');
    expect(answer.text).toMatch(/\[1\] <a href="https:/);
  });
});
