import { existsSync } from 'node:fs';
import path from 'node:path';
import { LotseError } from '../core/errors.js';
import { envSchema, type Env } from './env-schema.js';

/** Debian's Chromium, used by whatsapp-web.js unless CHROMIUM_PATH says otherwise. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Lotse's configuration, parsed once at start-up and passed to whatever needs it. */
export interface Config {
  env: Env;
  logLevel: Env['LOG_LEVEL'];
  knowledgeDir: string;
  dataDir: string;
  indexDir: string;
  embeddings: { kind: 'local' } | { kind: 'openai'; model: string; apiKey?: string; baseUrl?: string };
  /** Present when an LLM is configured (OPENAI_API_KEY or OPENAI_BASE_URL). */
  llm?: { model: string; apiKey?: string; baseUrl?: string; timeoutMs: number };
  /** Present when TRANSCRIPTION_MODEL is set: voice notes are transcribed on the same server. */
  transcription?: { model: string; apiKey?: string; baseUrl?: string; timeoutMs: number };
}

const HINTS: Record<string, string> = {
  EMBEDDINGS: 'use EMBEDDINGS=local (offline, the default) or EMBEDDINGS=openai with OPENAI_API_KEY or OPENAI_BASE_URL',
  TELEGRAM_MODE: 'use TELEGRAM_MODE=polling (the default) or TELEGRAM_MODE=webhook together with PUBLIC_URL',
  LOG_LEVEL: 'use one of fatal, error, warn, info, debug, trace, silent',
};

/** Parses the environment once; a wrong value throws CONFIG_INVALID naming every problem and its fix. */
export function loadConfig(source: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const hint = HINTS[name];
      return `  ${name}: ${issue.message}${hint ? ` (${hint})` : ''}`;
    });
    throw new LotseError('CONFIG_INVALID', `Lotse cannot start: the configuration is wrong.\n${problems.join('\n')}`, {
      hint: 'correct the variables above in the environment or .env file and start again; unset ones take their defaults (see README "Configuration")',
    });
  }
  const env = parsed.data;
  const cross: string[] = [];
  if (env.EMBEDDINGS === 'openai' && !env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    cross.push('  EMBEDDINGS=openai needs OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (a compatible server such as Ollama)');
  }
  if (env.TRANSCRIPTION_MODEL && !env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    cross.push('  TRANSCRIPTION_MODEL needs OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (a compatible speech-to-text server)');
  }
  if (env.TELEGRAM_MODE === 'webhook' && !env.PUBLIC_URL) {
    cross.push('  TELEGRAM_MODE=webhook needs PUBLIC_URL, the https address Telegram should call');
  }
  if (env.TELEGRAM_MODE === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET) {
    cross.push('  TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET, so that only Telegram can post updates (1-256 of A-Z a-z 0-9 _ -)');
  }
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    cross.push('  SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET (events over HTTP at /slack/events) or SLACK_APP_TOKEN (Socket Mode)');
  }
  const cloud = { WHATSAPP_CLOUD_TOKEN: env.WHATSAPP_CLOUD_TOKEN, WHATSAPP_CLOUD_PHONE_NUMBER_ID: env.WHATSAPP_CLOUD_PHONE_NUMBER_ID, WHATSAPP_CLOUD_APP_SECRET: env.WHATSAPP_CLOUD_APP_SECRET, WHATSAPP_CLOUD_VERIFY_TOKEN: env.WHATSAPP_CLOUD_VERIFY_TOKEN };
  const cloudSet = Object.entries(cloud).filter(([, value]) => value !== undefined);
  if (cloudSet.length > 0 && cloudSet.length < 4) {
    const missing = Object.entries(cloud).filter(([, value]) => value === undefined).map(([name]) => name);
    cross.push(`  the WhatsApp Cloud API needs all four of its settings; missing: ${missing.join(', ')} (the app's access token, the phone number id, the app secret from the app's basic settings, and a verify token of your choice for the webhook)`);
  }
  if (env.WHATSAPP_WEB_ENABLED && cloudSet.length > 0) {
    cross.push('  WHATSAPP_WEB_ENABLED=true and the WHATSAPP_CLOUD_* settings exclude each other: one WhatsApp number is served by one of the two; unset the one you do not use');
  }
  if (env.WHATSAPP_WEB_ENABLED && !existsSync(env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM)) {
    cross.push(`  WHATSAPP_WEB_ENABLED=true needs Chromium, and there is none at ${env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH to the browser's executable`);
  }
  if (env.NOTICE_TELEGRAM_RATE_LIMIT !== undefined && env.NOTICE_TELEGRAM_RATE_LIMIT > env.TELEGRAM_RATE_LIMIT) {
    cross.push(`  NOTICE_TELEGRAM_RATE_LIMIT (${env.NOTICE_TELEGRAM_RATE_LIMIT}) must be at most TELEGRAM_RATE_LIMIT (${env.TELEGRAM_RATE_LIMIT}): event notices share the bot's limit with the replies`);
  }
  if (env.NOTICE_WHATSAPP_RATE_LIMIT !== undefined && env.NOTICE_WHATSAPP_RATE_LIMIT > env.WHATSAPP_CLOUD_RATE_LIMIT) {
    cross.push(`  NOTICE_WHATSAPP_RATE_LIMIT (${env.NOTICE_WHATSAPP_RATE_LIMIT}) must be at most WHATSAPP_CLOUD_RATE_LIMIT (${env.WHATSAPP_CLOUD_RATE_LIMIT}): event notices share the number's throughput with the replies`);
  }
  if (cross.length > 0) {
    throw new LotseError('CONFIG_INVALID', `Lotse cannot start: the configuration is incomplete.\n${cross.join('\n')}`, {
      hint: 'set the missing variables, or drop the setting that needs them',
    });
  }
  const dataDir = path.resolve(cwd, env.DATA_DIR);
  const llmConfigured = Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  return {
    env,
    logLevel: env.LOG_LEVEL,
    knowledgeDir: path.resolve(cwd, env.KNOWLEDGE_DIR),
    dataDir,
    indexDir: path.join(dataDir, 'index'),
    embeddings:
      env.EMBEDDINGS === 'openai'
        ? { kind: 'openai', model: env.EMBEDDINGS_MODEL, apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL }
        : { kind: 'local' },
    llm: llmConfigured
      ? { model: env.LLM_MODEL, apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, timeoutMs: env.LLM_TIMEOUT_MS }
      : undefined,
    transcription: env.TRANSCRIPTION_MODEL
      ? { model: env.TRANSCRIPTION_MODEL, apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, timeoutMs: env.LLM_TIMEOUT_MS }
      : undefined,
  };
}
