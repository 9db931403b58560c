import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WhatsAppCloudMediaFetcher } from '../../../src/channels/whatsapp/cloud/media.js';
import { cloudSettings, FakeGraphApiServer } from '../../helpers/fake-graph-api-server.js';

let graph: FakeGraphApiServer;

beforeEach(async () => {
  graph = await new FakeGraphApiServer().start();
});
afterEach(async () => {
  await graph.close();
});

const fetcher = (options?: ConstructorParameters<typeof WhatsAppCloudMediaFetcher>[1]) => new WhatsAppCloudMediaFetcher(cloudSettings(graph), options);

describe('WhatsApp Cloud media', () => {
  it('looks the media id up, downloads it with the bearer token, names it by its type', async () => {
    graph.media.set('1234567890', { bytes: Buffer.from('OggS-voice'), mimeType: 'audio/ogg; codecs=opus' });
    graph.media.set('222', { bytes: Buffer.from('%PDF-1.4'), mimeType: 'application/pdf' });
    const voice = await fetcher().fetch('1234567890');
    expect(Buffer.from(voice.data).toString()).toBe('OggS-voice');
    expect(voice.fileName).toBe('1234567890.ogg');
    expect((await fetcher().fetch('222')).fileName).toBe('222.pdf');
  });

  it('an unknown id or a wrong token: MEDIA_FETCH_FAILED, without the token in the message', async () => {
    await expect(fetcher().fetch('999')).rejects.toMatchObject({ code: 'MEDIA_FETCH_FAILED' });
    const wrong = new WhatsAppCloudMediaFetcher({ ...cloudSettings(graph), token: 'expired-token' });
    graph.media.set('1', { bytes: Buffer.from('x'), mimeType: 'image/jpeg' });
    const error = await wrong.fetch('1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MEDIA_FETCH_FAILED' });
    expect((error as Error).message).not.toContain('expired-token');
  });

  it('refuses an id that could not be a media id before any request', async () => {
    await expect(fetcher().fetch('../me/messages')).rejects.toMatchObject({ code: 'MEDIA_FETCH_FAILED' });
    await expect(fetcher().fetch('')).rejects.toMatchObject({ code: 'MEDIA_FETCH_FAILED' });
  });

  it('refuses a file over the size cap, declared or not', async () => {
    graph.media.set('big', { bytes: Buffer.alloc(2_000, 1), mimeType: 'audio/ogg' });
    graph.media.set('big-chunked', { bytes: Buffer.alloc(2_000, 1), mimeType: 'audio/ogg', chunked: true });
    await expect(fetcher({ maxBytes: 1_000 }).fetch('big')).rejects.toThrow(/larger than 1000 bytes/);
    await expect(fetcher({ maxBytes: 1_000 }).fetch('big-chunked')).rejects.toThrow(/larger than 1000 bytes/);
    expect((await fetcher({ maxBytes: 2_000 }).fetch('big-chunked')).data.byteLength).toBe(2_000);
  });

  it('one deadline for both steps: MEDIA_TIMEOUT', async () => {
    graph.media.set('slow', { bytes: Buffer.from('x'), mimeType: 'audio/ogg' });
    graph.delayMs = 150;
    await expect(fetcher({ timeoutMs: 200 }).fetch('slow')).rejects.toMatchObject({ code: 'MEDIA_TIMEOUT' });
  });
});
