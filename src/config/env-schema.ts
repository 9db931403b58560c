import { z } from 'zod';
import { LANGUAGES, type Language } from '../core/knowledge.js';

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

const optionalPositiveNumber = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : Number(value)))
  .pipe(z.number('must be a number').positive('must be above 0').optional());

const TEMPLATE_LANGUAGES_HINT = `must list Lotse's languages (${LANGUAGES.join(', ')}) separated by commas, each optionally with the template's language code at Meta, e.g. "en=en_US,de,fr"`;

/** "en=en_US,de,fr": the languages a WhatsApp template is approved in, each with Meta's code (the language's own by default), the first the fallback. */
const templateLanguages = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    const entries = (value || LANGUAGES.join(',')).split(',').map((entry) => entry.trim()).filter(Boolean);
    const parsed = entries.map((entry) => /^([a-z]{2})(?:=([a-z]{2,3}(?:_[A-Z]{2})?))?$/.exec(entry));
    if (entries.length === 0 || parsed.some((match) => !match || !(LANGUAGES as readonly string[]).includes(match[1]!))) {
      ctx.addIssue({ code: 'custom', message: TEMPLATE_LANGUAGES_HINT });
      return z.NEVER;
    }
    return parsed.map((match) => ({ language: match![1] as Language, code: match![2] ?? match![1]! }));
  });

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
  /**
   * A process without the gateway (`npm run worker`, `npm run sender`) serves /metrics on this port
   * (on HOST), since it has no HTTP server otherwise; unset: it serves none. The gateway serves
   * /metrics on PORT and ignores this. 0 picks a free port.
   */
  METRICS_PORT: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : Number(v)))
    .pipe(z.number('must be a port number such as 9101').int('must be a whole number').min(0, 'must be 0 to 65535').max(65535, 'must be at most 65535').optional()),
  /** When set, /metrics (gateway and METRICS_PORT) answers only "Authorization: Bearer <this>". */
  METRICS_TOKEN: optionalString.refine((v) => v === undefined || /^[\x21-\x7e]{24,256}$/.test(v), {
    message: 'must be 24-256 printable characters without spaces, e.g. the output of: openssl rand -hex 24',
  }),
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
  /** Days the statistics' daily counts (numbers only, no personal data) are kept (default 400; at most 3660). */
  STATS_DAYS: positiveInt(400).pipe(z.number().max(3660, 'must be at most 3660 (ten years)')),

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
  /** WhatsApp Cloud API messages per second for the number, replies and event notices together (default 50; Meta allows 80 by default). */
  WHATSAPP_CLOUD_RATE_LIMIT: positiveNumber(50),

  /** Event notices per second on Telegram, at most TELEGRAM_RATE_LIMIT (default 25, or that limit when lower): the rest stays free for replies. */
  NOTICE_TELEGRAM_RATE_LIMIT: optionalPositiveNumber,
  /** Event notices per second on WhatsApp, at most WHATSAPP_CLOUD_RATE_LIMIT (default 40, or that limit when lower; whatsapp-web.js: at most 5). */
  NOTICE_WHATSAPP_RATE_LIMIT: optionalPositiveNumber,
  /** Minutes before an event that its reminder goes out (default 60); an event announced less than this ahead gets none. */
  NOTICE_REMINDER_MINUTES: positiveInt(60),
  /** The approved WhatsApp template for event notices outside the 24-hour window, with body parameters {{1}} title, {{2}} date and time, {{3}} link (Cloud API); unset: such users are skipped. */
  WHATSAPP_CLOUD_NOTICE_TEMPLATE_NAME: optionalString.refine((value) => value === undefined || /^[a-z0-9_]{1,512}$/.test(value), {
    message: 'must be the template\'s name as approved at Meta: lower-case letters, digits and underscores',
  }),
  /** The approved WhatsApp template that tells users outside the 24-hour window of a cancelled event, body parameters {{1}} title, {{2}} date and time; unset: they are skipped. */
  WHATSAPP_CLOUD_CANCEL_TEMPLATE_NAME: optionalString.refine((value) => value === undefined || /^[a-z0-9_]{1,512}$/.test(value), {
    message: 'must be the template\'s name as approved at Meta: lower-case letters, digits and underscores',
  }),
  /** The languages the notice and cancellation templates are approved in, e.g. "en=en_US,de,fr" (default: all ten, each under its own code); others get the first. */
  WHATSAPP_CLOUD_NOTICE_TEMPLATE_LANGUAGES: templateLanguages,
});

export type Env = z.infer<typeof envSchema>;
