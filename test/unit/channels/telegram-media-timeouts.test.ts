import { Bot, HttpError } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramMediaFetcher } from '../../../src/channels/telegram/media.js';
import type { InboundMessage } from '../../../src/core/message.js';
import { OpenAiTranscriber } from '../../../src/transcription/openai-transcriber.js';
import { FakeOpenAiServer } from '../../helpers/fake-openai-server.js';
import { FakeTelegramServer } from '../../helpers/fake-telegram-server.js';

let telegram: FakeTelegramServer;
let openai: FakeOpenAiServer;

beforeEach(async () => {
  telegram = await new FakeTelegramServer().start();
  openai = await new FakeOpenAiServer().start();
});
afterEach(async () => {
  await telegram.stop();
  await openai.stop();
});

/** A Bot API client as the app makes one; its own timeout is long, so the fetcher's deadline is what is tested. */
const api = (timeoutSeconds = 30) => new Bot(telegram.token, { client: { apiRoot: telegram.url, timeoutSeconds }, botInfo: telegram.botInfo }).api;

/** Resolves once `predicate` holds (polling), or fails after `ms`. */
async function eventually(predicate: () => boolean, ms = 2_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How long `promise` takes to settle, and its error. */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  const error = await promise.then(() => undefined, (e: unknown) => e);
  return { ms: Date.now() - started, error };
}

const voice = (ref = 'voice-1'): InboundMessage => ({ id: `telegram:1:${ref}`, channel: 'telegram', userId: '1', kind: 'voice', text: '', receivedAt: new Date().toISOString(), media: { ref } });

describe('Telegram voice note download', () => {
  it('fetches the file by its id', async () => {
    const fetched = await new TelegramMediaFetcher(api(), telegram.token, telegram.url).fetch('voice-1');
    expect(Buffer.from(fetched.data).toString()).toBe('OggS-fake-voice');
    expect(fetched.fileName).toBe('voice-1.oga');
  });

  it.each([
    ['getFile hangs', () => (telegram.methodDelayMs.getFile = 10_000), 'getFile'],
    ['the download sends no headers', () => (telegram.fileDelayMs = 10_000), '/file/bot<token>/'],
    ['the download stalls mid-body', () => (telegram.fileBodyDelayMs = 10_000), '/file/bot<token>/'],
  ])('gives up within its timeout when %s, and closes the connection', async (_case, slow, where) => {
    slow();
    const fetcher = new TelegramMediaFetcher(api(), telegram.token, telegram.url, { timeoutMs: 400 });
    const { ms, error } = await timed(fetcher.fetch('voice-1'));
    expect(error).toMatchObject({ code: 'MEDIA_TIMEOUT' });
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(1_500);
    await eventually(() => telegram.abandoned.some((request) => request.includes(where)), 2_000, `the ${where} connection to close`);
    expect(telegram.abandoned.join(' ')).not.toContain(telegram.token);
  });

  it('refuses a file larger than it takes', async () => {
    const fetcher = new TelegramMediaFetcher(api(), telegram.token, telegram.url, { maxBytes: 4 });
    await expect(fetcher.fetch('voice-1')).rejects.toMatchObject({ code: 'MEDIA_FETCH_FAILED' });
  });
});

describe('Bot API calls', () => {
  it('end after the client timeoutSeconds with the connection closed (the line to use for every Bot)', async () => {
    telegram.methodDelayMs.sendMessage = 10_000;
    const { ms, error } = await timed(api(1).sendMessage(1, 'hello'));
    expect(error).toBeInstanceOf(HttpError);
    expect(((error as HttpError).error as Error).message).toMatch(/timed out after 1 seconds/);
    expect(ms).toBeLessThan(2_000);
    await eventually(() => telegram.abandoned.some((request) => request.includes('sendMessage')), 2_000, 'the sendMessage connection to close');
  });
});

describe('voice transcription', () => {
  const transcriber = (timeoutMs: number, fetchTimeoutMs = 30_000) =>
    new OpenAiTranscriber({ model: 'whisper-1', baseUrl: openai.baseUrl, timeoutMs }, [new TelegramMediaFetcher(api(), telegram.token, telegram.url, { timeoutMs: fetchTimeoutMs })]);

  it('transcribes a fetched voice note', async () => {
    openai.transcript = 'How many points do I need?';
    await expect(transcriber(2_000).transcribe(voice())).resolves.toBe('How many points do I need?');
  });

  it('gives up within its timeout, retries included, with LLM_TIMEOUT and the connection closed', async () => {
    openai.transcriptionDelayMs = 10_000;
    const { ms, error } = await timed(transcriber(500).transcribe(voice()));
    expect(error).toMatchObject({ code: 'LLM_TIMEOUT' });
    expect(ms).toBeLessThan(1_500);
    await eventually(() => openai.abandoned.includes('POST /v1/audio/transcriptions'), 2_000, 'the transcription connection to close');
  });

  it('gives up on a hung Telegram download before it reaches the transcription server', async () => {
    telegram.fileDelayMs = 10_000;
    const { ms, error } = await timed(transcriber(2_000, 300).transcribe(voice()));
    expect(error).toMatchObject({ code: 'MEDIA_TIMEOUT' });
    expect(ms).toBeLessThan(1_500);
    expect(openai.transcriptions).toHaveLength(0);
  });
});
