import { App } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import { LotseError } from '../../../core/errors.js';
import type { Redactor } from '../../../core/ports.js';
import { errorField, type Logger } from '../../../infra/logger.js';
import { PiiRedactor } from '../../../privacy/pii-redactor.js';
import type { HandoffApi } from '../../handoff-api.js';
import { registerCaseActions } from './actions.js';
import { boltLogger, createSlackClient, slackClientOptions, slackErrorCode, type WebClient } from './client.js';
import type { SlackConfig } from './config.js';
import { registerThreadReplies } from './messages.js';
import { FastifyReceiver, SLACK_EVENTS_PATH } from './receiver.js';
import { SlackAdvisorTransport, type SlackTransportOptions } from './transport.js';

/** Who the bot is in its workspace: Bolt uses it to ignore the bot's own messages. */
interface BotIdentity {
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

/** auth.test answers that mean the token itself is wrong: a setting to fix, not an outage to wait out. */
const TOKEN_REFUSED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

export interface SlackAdvisorAppOptions {
  config: SlackConfig;
  handoff: HandoffApi;
  logger: Logger;
  redactor?: Redactor;
  /** Where errors of listeners and of Bolt go (default: a redacted warning in the log). Never thrown. */
  onError?: (error: unknown) => void;
  /** The clock for signature ages (tests). */
  now?: () => number;
}

/**
 * The advisors' Slack app: Bolt with Lotse's own receiver on the gateway's Fastify server (HTTP
 * mode, POST /slack/events) or Socket Mode (SLACK_APP_TOKEN). It turns clicks and thread replies into
 * HandoffApi calls; the transport (see `transport()`) shows cases and their events in Slack.
 */
export class SlackAdvisorApp {
  readonly app: App;
  /** A Web API client with the bot token, for the transport. */
  readonly client: WebClient;
  private readonly receiver?: FastifyReceiver;
  private readonly onError: (error: unknown) => void;
  private identity?: Promise<BotIdentity>;

  constructor(private readonly options: SlackAdvisorAppOptions) {
    const { config, logger } = options;
    const redactor = options.redactor ?? new PiiRedactor();
    this.onError = options.onError ?? ((error) => logger.warn({ err: errorField(error, redactor), component: 'slack' }, 'slack: error'));
    const log = boltLogger(logger);
    this.client = createSlackClient(config, log);
    if (config.mode === 'http') this.receiver = new FastifyReceiver({ signingSecret: config.signingSecret!, onError: this.onError, now: options.now });
    this.app = new App({
      ...(this.receiver ? { receiver: this.receiver } : { socketMode: true, appToken: config.appToken }),
      // Our own authorize: auth.test once, cached; an unreachable Slack does not stop clicks from being handled.
      authorize: async () => ({ botToken: config.botToken, ...(await this.whoAmI().catch(() => ({}))) }),
      clientOptions: slackClientOptions(config),
      logger: log,
      // Bolt's conversation store would keep state in this process's memory; Lotse keeps none here.
      convoStore: false,
    });
    this.app.error(async (error) => this.onError(error));
    registerCaseActions(this.app, { handoff: options.handoff, onError: this.onError });
    registerThreadReplies(this.app, { handoff: options.handoff, onError: this.onError });
  }

  /** The bot's identity from auth.test, cached once it succeeds (a failure is asked again next time). */
  private whoAmI(): Promise<BotIdentity> {
    this.identity ??= this.client.auth.test().then(
      (answer) => ({ botUserId: answer.user_id, botId: answer.bot_id, teamId: answer.team_id }),
      (error: unknown) => {
        this.identity = undefined;
        throw error;
      },
    );
    return this.identity;
  }

  /** The events route on the gateway's server (HTTP mode; Socket Mode needs none). */
  routes(server: FastifyInstance): void {
    this.receiver?.routes(server);
  }

  /** Checks the token (a refused one stops the start, like any wrong setting); Socket Mode connects. */
  async start(): Promise<void> {
    try {
      await this.whoAmI();
    } catch (error) {
      const code = slackErrorCode(error);
      if (code && TOKEN_REFUSED.has(code)) {
        throw new LotseError('CONFIG_INVALID', `Lotse cannot start: Slack refused SLACK_BOT_TOKEN (${code}).`, { hint: "use the app's Bot User OAuth Token (xoxb-…) from its OAuth & Permissions page", cause: error });
      }
      // Slack unreachable: the gateway starts anyway; the identity is asked for again on the first event.
      this.onError(error);
    }
    if (this.options.config.mode === 'socket') await this.app.start();
  }

  async stop(): Promise<void> {
    if (this.options.config.mode === 'socket') await this.app.stop().catch(this.onError);
  }

  /** The advisor transport on this app's client. */
  transport(options: SlackTransportOptions = {}): SlackAdvisorTransport {
    return new SlackAdvisorTransport(this.client, this.options.handoff, { advisorChannel: this.options.config.advisorChannel, ...options });
  }

  describe(): string {
    return this.options.config.mode === 'http' ? `Slack (advisors): events at ${SLACK_EVENTS_PATH}` : 'Slack (advisors): Socket Mode';
  }
}
