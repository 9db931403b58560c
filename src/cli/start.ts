import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config/config.js';
import { telegramConfig } from '../channels/telegram/config.js';
import { createLogger } from '../infra/logger.js';
import { resolveRedis } from '../infra/local-redis.js';
import { startLotse, type Roles } from '../main.js';
import { runCli, stopRequested } from './run-cli.js';

const ALL: Roles = { gateway: true, worker: true, sender: true };
/**
 * Upper bound of a graceful stop: in-flight messages finish first, and one may wait for an LLM
 * answer (LLM_TIMEOUT_MS, 20 s by default). docker-compose.yml's stop_grace_period is above it.
 */
const SHUTDOWN_TIMEOUT_MS = 30_000;

/**
 * `npm start` (and the entry points in workers/): starts the given roles, all of them by default,
 * prints what is enabled and where, and stops gracefully on SIGTERM or SIGINT (a second signal,
 * or SHUTDOWN_TIMEOUT_MS, ends it at once).
 */
export function start(roles: Roles = ALL): void {
  runCli(async () => {
    // Listening from the start: a signal during start-up waits for it to finish, then stops.
    const stop = stopRequested({ timeoutMs: SHUTDOWN_TIMEOUT_MS });
    const config = loadConfig(process.env);
    const logger = createLogger(config.logLevel);
    const redis = await resolveRedis(config.env.REDIS_URL, config.dataDir);
    let lotse;
    try {
      lotse = await startLotse({ config, logger, redisUrl: redis.url, roles });
    } catch (error) {
      await redis.stop();
      throw error;
    }
    const guarded = config.env.METRICS_TOKEN ? ' (with METRICS_TOKEN as a bearer token)' : ' (no token: set METRICS_TOKEN when the port can be reached from outside)';
    const lines = [`Lotse is running (${Object.entries(roles).filter(([, on]) => on).map(([role]) => role).join(', ')}).`];
    lines.push(`  Redis: ${redis.source === 'private' ? `private redis-server under ${config.dataDir}/redis (${redis.url})` : redis.url.replace(/\/\/[^@]*@/, '//***@')}`);
    if (lotse.url) {
      const base = config.env.PUBLIC_URL ?? lotse.url.replace('0.0.0.0', '127.0.0.1');
      lines.push(`  Web chat: ${new URL('/chat', base)}`);
      for (const channel of lotse.channels.filter((c) => c.name !== 'web')) lines.push(`  ${channel.describe()}`);
      lines.push(`  Health: ${new URL('/healthz', base)}, ${new URL('/readyz', base)}; metrics: ${new URL('/metrics', base)}${guarded}`);
    }
    if (lotse.metricsUrl) lines.push(`  Metrics: ${lotse.metricsUrl}${guarded}`);
    const off: string[] = [];
    if (!telegramConfig(config)) off.push('Telegram: set TELEGRAM_BOT_TOKEN (and TELEGRAM_MODE=webhook with PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET for webhooks)');
    if (lotse.url) lines.push(`  Advisors: ${config.env.SLACK_BOT_TOKEN ? 'Slack app at /slack/events, ' : ''}console at ${new URL('/advisor', config.env.PUBLIC_URL ?? lotse.url.replace('0.0.0.0', '127.0.0.1'))} (accounts: npm run advisor -- add <name> --pools <pool>; --staff for statistics and event notices, --admin also for /admin/queues)`);
    if (!config.env.SLACK_BOT_TOKEN) off.push('Slack advisor app: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see README, "The Slack app")');
    if (!lotse.channels.some((channel) => channel.name === 'whatsapp')) off.push('WhatsApp: set WHATSAPP_CLOUD_TOKEN, WHATSAPP_CLOUD_PHONE_NUMBER_ID, WHATSAPP_CLOUD_APP_SECRET and WHATSAPP_CLOUD_VERIFY_TOKEN (Cloud API), or WHATSAPP_WEB_ENABLED=true (see README, "WhatsApp")');
    if (!config.transcription) off.push('Voice notes: set TRANSCRIPTION_MODEL (e.g. whisper-1) with OPENAI_API_KEY or OPENAI_BASE_URL to transcribe them');
    lines.push(`  Answers: ${config.llm ? `LLM ${config.llm.model}${config.llm.baseUrl ? ` at ${config.llm.baseUrl}` : ''}` : 'offline (extractive); set OPENAI_API_KEY or OPENAI_BASE_URL for LLM answers'}`);
    lines.push('  Off:', ...off.map((line) => `    ${line}`));
    console.log(lines.join('\n'));

    const signal = await stop;
    console.log(`\n${signal}: stopping (in-flight messages finish, waiting ones stay queued)…`);
    await lotse.stop();
    await redis.stop();
    console.log('Lotse stopped.');
  });
}

// Run when this file is the entry point (npm start), not when workers/ import it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) start();
