import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { LotseError } from '../../../src/core/errors.js';
import { whatsappConfig } from '../../../src/channels/whatsapp/config.js';

describe('loadConfig', () => {
  it('gives working defaults with no environment at all', () => {
    const config = loadConfig({}, '/srv/lotse');
    expect(config.embeddings).toEqual({ kind: 'local' });
    expect(config.llm).toBeUndefined();
    expect(config.indexDir).toBe('/srv/lotse/data/index');
    expect(config.env.PORT).toBe(3000);
    expect(config.env.RETENTION_DAYS).toBe(90);
  });

  it('configures the LLM and OpenAI embeddings from the contract names', () => {
    const config = loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', EMBEDDINGS: 'openai', LLM_MODEL: 'llama3' });
    expect(config.llm).toMatchObject({ model: 'llama3', baseUrl: 'http://127.0.0.1:11434/v1' });
    expect(config.embeddings).toMatchObject({ kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' });
  });

  it('stops with every wrong value named and how to fix it', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', EMBEDDINGS: 'magic', OPENAI_BASE_URL: 'localhost:11434', TELEGRAM_BOT_TOKEN: 'nope' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LotseError);
    const text = (error as LotseError).explain();
    expect((error as LotseError).code).toBe('CONFIG_INVALID');
    for (const name of ['PORT', 'EMBEDDINGS', 'OPENAI_BASE_URL', 'TELEGRAM_BOT_TOKEN']) expect(text).toContain(name);
    expect(text).toContain('EMBEDDINGS=local');
    expect(text).toContain('How to fix');
  });

  it('refuses settings that need a partner setting', () => {
    expect(() => loadConfig({ EMBEDDINGS: 'openai' })).toThrow('EMBEDDINGS=openai needs OPENAI_API_KEY');
    expect(() => loadConfig({ TELEGRAM_MODE: 'webhook' })).toThrow('needs PUBLIC_URL');
  });

  it('checks the WhatsApp settings: the Cloud API complete, one of the two transports, a Chromium that exists', () => {
    expect(() => loadConfig({ WHATSAPP_CLOUD_TOKEN: 'token-value' })).toThrow(/missing: WHATSAPP_CLOUD_PHONE_NUMBER_ID, WHATSAPP_CLOUD_APP_SECRET, WHATSAPP_CLOUD_VERIFY_TOKEN/);
    const cloud = { WHATSAPP_CLOUD_TOKEN: 't', WHATSAPP_CLOUD_PHONE_NUMBER_ID: '123', WHATSAPP_CLOUD_APP_SECRET: 's', WHATSAPP_CLOUD_VERIFY_TOKEN: 'v' };
    expect(() => loadConfig({ ...cloud, WHATSAPP_WEB_ENABLED: 'true', CHROMIUM_PATH: process.execPath })).toThrow('exclude each other');
    expect(() => loadConfig({ WHATSAPP_WEB_ENABLED: 'true', CHROMIUM_PATH: '/nowhere/chromium' })).toThrow('apt-get install chromium');
    expect(() => loadConfig({ WHATSAPP_WEB_ENABLED: 'maybe' })).toThrow('WHATSAPP_WEB_ENABLED');
    expect(whatsappConfig(loadConfig({ ...cloud, WHATSAPP_GRAPH_API_URL: 'http://127.0.0.1:9/v21.0/' }))).toMatchObject({ transport: 'cloud', cloud: { graphApiUrl: 'http://127.0.0.1:9/v21.0', windowMs: 86_400_000, warnBeforeMs: 3_600_000 } });
    expect(whatsappConfig(loadConfig({ WHATSAPP_WEB_ENABLED: 'true', CHROMIUM_PATH: process.execPath }, '/srv/lotse'))).toMatchObject({ transport: 'web', web: { session: 'local', sessionDir: '/srv/lotse/data/whatsapp-web' } });
    expect(whatsappConfig(loadConfig({}))).toBeUndefined();
  });

  it('wants a METRICS_TOKEN long enough to guess at no better than a password', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(/METRICS_TOKEN[\s\S]*openssl rand -hex 24/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('short-secret') }));
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(24) }).env.METRICS_TOKEN).toBe('a'.repeat(24));
  });

  it('never echoes a secret value in its message', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'secret-looking-value', PORT: 'x' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-looking-value') }),
    );
  });
});
