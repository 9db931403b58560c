/**
 * Every count, rate and timeout of the fault tests, in one place. `npm test` runs the short
 * counts; `FAULTS=full` (npm run test:faults) the full ones. Times are milliseconds.
 */
export const FULL = process.env.FAULTS === 'full';

const pick = <T>(short: T, full: T): T => (FULL ? full : short);
const DRAIN_TIMEOUT_MS = Number(process.env.FAULTS_DRAIN_TIMEOUT_MS) || pick(30_000, 120_000);

export const SETTINGS = {
  /** A process (gateway, worker, sender) must be up within this. */
  startupTimeoutMs: 60_000,
  /** A private redis-server must answer PING within this (also after a restart, AOF replay included). */
  redisStartTimeoutMs: 15_000,
  /** SIGTERM, then SIGKILL after this. */
  stopTimeoutMs: 10_000,
  /**
   * Environment of every process, before a test's own. These are the rewrite's settings (today's
   * code ignores them): the fake Bot API has no limits, so Telegram's pacing (30/s per bot, 1/s per
   * chat by default) is lifted to keep the tests short, and no per-user limit applies except in the
   * flood test, which sets its own. Webhook mode needs PUBLIC_URL (setWebhook goes to the fake Bot API).
   */
  processEnv: { TELEGRAM_RATE_LIMIT: '1000', TELEGRAM_CHAT_RATE_LIMIT: '100', USER_RATE_LIMIT: '0', PUBLIC_URL: 'https://lotse-faults.invalid' } as Record<string, string>,
  /** The fake LLM's answer delay, uniformly in [min, max]; safety screens answer at once. */
  llmDelayMs: { min: 50, max: 100 },
  /** Webhook delivery as Telegram does it: retries on 503/5xx/429/connection errors, backoff doubling from min to max, giving up after deadline. */
  delivery: { backoffMinMs: 100, backoffMaxMs: 1_000, deadlineMs: pick(30_000, 90_000), requestTimeoutMs: 10_000 },
  /** Consent (Hello, privacy notice, choice:yes, confirmation) for all conversations of a test. */
  consent: { concurrency: 32, timeoutMs: pick(30_000, 120_000) },
  /** After the last question is accepted: wait this long at most for all answers (FAULTS_DRAIN_TIMEOUT_MS overrides it, to see what a slow recovery ends with), then this long for late duplicates. */
  drain: { timeoutMs: DRAIN_TIMEOUT_MS, quietMs: 2_000 },
  workerCrash: {
    conversations: pick(20, 200),
    questionsPerConversation: 10,
    /** Conversations posting at once (each posts its questions one after the other, as fast as accepted). */
    concurrency: pick(20, 64),
    workers: 2,
    /** The worker is killed (-9) once this many answers arrived. */
    killAfterAnswers: pick(15, 100),
    /** Longest silence (no sendMessage at all) allowed between the kill and the last answer. */
    maxGapMs: 10_000,
  },

  redisRestart: {
    conversations: pick(20, 60),
    questionsPerConversation: pick(6, 12),
    /** Pause between two questions of one conversation, so that messages flow across the outage. */
    intervalMs: 700,
    workers: 2,
    /** Redis goes down this long after the first question, and stays down this long. */
    outageAfterMs: 1_500,
    outageMs: 3_000,
  },

  flood: {
    /** The flooder: this many messages, evenly spread over this time. */
    flooderMessages: pick(150, 500),
    flooderWindowMs: pick(3_000, 10_000),
    /** The other users, each asking at a normal pace during the flood (and in the baseline run). */
    normalUsers: 20,
    normalQuestions: pick(4, 8),
    normalIntervalMs: pick(900, 1_300),
    workers: 2,
    /** Limits passed to the rewrite (ignored by today's code): USER_RATE_LIMIT messages/min per user. */
    env: { USER_RATE_LIMIT: '20' },
    /** The flooder must get at most this share of replies per message sent. */
    maxFlooderReplyShare: 0.25,
    /** Normal users' p99 with the flooder may be at most this factor times the p99 without it... */
    maxP99Factor: 2,
    /** ...where the baseline p99 counts as at least this (below it, timer noise on a small machine dominates). */
    p99FloorMs: 250,
  },

  /** Bounds on every test (vitest timeout: the drain timeout plus the rest) and on set-up (hook timeout). */
  testTimeoutMs: DRAIN_TIMEOUT_MS + pick(60_000, 480_000),
  hookTimeoutMs: 180_000,
} as const;
