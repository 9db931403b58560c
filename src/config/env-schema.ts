import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const url = (what: string) =>
  optionalString.refine((value) => value === undefined || URL.canParse(value), {
    message: `must be a full URL such as ${what}`,
  });

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : Number(value)))
    .pipe(z.number().int('must be a whole number').positive('must be above 0'));

const positiveNumber = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : Number(value)))
    .pipe(z.number('must be a number').positive('must be above 0'));

const nonNegativeInt = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : Number(value)))
    .pipe(z.number().int('must be a whole number').min(0, 'must be 0 or more'));

/**
 * Every environment variable Lotse reads, with its default. The names are the public contract
 * of the README's "Configuration"; nothing outside src/config reads process.env.
 */
export const envSchema = z.object({
  NODE_ENV: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the knowledge documents live (default: ./knowledge). */
  KNOWLEDGE_DIR: z.string().default('knowledge'),
  /** Where the index, and the private Redis when one is started, are written (default: ./data). */
  DATA_DIR: z.string().default('data'),

  REDIS_URL: url('redis://127.0.0.1:6379'),
  /** 0 picks a free port. */
  PORT: z.string().trim().optional().transform((v) => (v === undefined || v === '' ? 3000 : Number(v))).pipe(z.number().int('must be a whole number').min(0, 'must be 0 to 65535').max(65535, 'must be at most 65535')),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: url('https://lotse.example.org'),
  /**
   * Behind a reverse proxy: which X-Forwarded-For hops to believe, so that per-address limits see
   * the client, not the proxy. "true" (all), a hop count ("1"), or proxy addresses ("10.0.0.1,10.0.0.2").
   * Unset: none (the connection's address counts).
   */
  TRUST_PROXY: optionalString
    .refine((v) => v === undefined || v === 'true' || /^\d+$/.test(v) || v.split(',').every((a) => /^[0-9a-fA-F:./]+$/.test(a.trim())), {
      message: 'must be "true", a number of proxy hops such as 1, or proxy IP addresses separated by commas',
    })
    .transform((v) => (v === undefined ? undefined : v === 'true' ? true : /^\d+$/.test(v) ? Number(v) : v.split(',').map((a) => a.trim()))),

  TELEGRAM_BOT_TOKEN: optionalString.refine((v) => v === undefined || /^\d+:[\w-]+$/.test(v), {
    message: 'must look like 123456789:ABC-def… (the token @BotFather gave you)',
  }),
  TELEGRAM_MODE: z.enum(['polling', 'webhook']).optional(),
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), {
    message: 'must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram\'s rule for secret_token)',
  }),
  TELEGRAM_API_ROOT: url('https://api.telegram.org'),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: url('https://slack.com/api/'),
  SLACK_ADVISOR_CHANNEL: optionalString,
  /** A YAML file of advisor pools (languages, countries, topics, Slack channel, office hours, SLA); unset: one default pool. */
  ADVISOR_POOLS_FILE: optionalString,

  WHATSAPP_WEB_ENABLED: flag,
  CHROMIUM_PATH: optionalString,
  WHATSAPP_CLOUD_TOKEN: optionalString,
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: optionalString,
  WHATSAPP_CLOUD_APP_SECRET: optionalString,
  WHATSAPP_CLOUD_VERIFY_TOKEN: optionalString,
  WHATSAPP_GRAPH_API_URL: url('https://graph.facebook.com/v21.0'),
  /** Where whatsapp-web.js keeps its linked session: `local` (a Chromium profile under DATA_DIR) or `redis` (shared by replicas). */
  WHATSAPP_WEB_SESSION: z.enum(['local', 'redis']).default('local'),
  /** The approved message template sent once the 24-hour customer-service window has closed (Cloud API). */
  WHATSAPP_CLOUD_TEMPLATE_NAME: optionalString,
  /** The template's language code as approved at Meta (default en). */
  WHATSAPP_CLOUD_TEMPLATE_LANGUAGE: z.string().trim().default('en'),
  /** Minutes before the 24-hour window closes that the advisor of an open case is warned (default 60). */
  WHATSAPP_WINDOW_WARNING_MINUTES: positiveInt(60),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: url('http://127.0.0.1:11434/v1'),
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  /** Milliseconds before an LLM answer is abandoned for the offline one (default 20000). */
  LLM_TIMEOUT_MS: positiveInt(20_000),
  /** A speech-to-text model (e.g. whisper-1) on the OpenAI-compatible server: voice notes are then transcribed. */
  TRANSCRIPTION_MODEL: optionalString,
  EMBEDDINGS: z.enum(['local', 'openai']).default('local'),
  EMBEDDINGS_MODEL: z.string().default('text-embedding-3-small'),
  /** Days a conversation is kept after its last message (default 90). */
  RETENTION_DAYS: positiveInt(90),

  /** Turns handled at once by one worker process, each of another conversation (default 8). */
  WORKER_CONCURRENCY: positiveInt(8),
  /** Chats served at once by one sender process (default 16). */
  SENDER_CONCURRENCY: positiveInt(16),
  /** Messages per user and minute that Lotse reads; beyond, the user is asked to slow down (default 20; 0: no limit). */
  USER_RATE_LIMIT: nonNegativeInt(20),
  /** Telegram messages per second for the whole bot (default 30, Telegram's limit). */
  TELEGRAM_RATE_LIMIT: positiveNumber(30),
  /** Telegram messages per second to one chat (default 1, Telegram's advice). */
  TELEGRAM_CHAT_RATE_LIMIT: positiveNumber(1),
});

export type Env = z.infer<typeof envSchema>;
