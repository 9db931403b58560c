import type { Config } from '../../../config/config.js';
import { LotseError } from '../../../core/errors.js';

export interface SlackConfig {
  botToken: string;
  /** `http`: events at POST /slack/events, signed with the signing secret; `socket`: Socket Mode with the app token. */
  mode: 'http' | 'socket';
  signingSecret?: string;
  appToken?: string;
  /** The Web API base, ending in a slash (https://slack.com/api/, or a test server). */
  apiUrl: string;
  /** The default pool's channel when there is no pools file (PoolDirectory.load puts it there too). */
  advisorChannel?: string;
}

/**
 * Slack's settings, or undefined when SLACK_BOT_TOKEN is not set (the advisors' Slack side stays
 * off). Socket Mode when SLACK_APP_TOKEN is set; otherwise HTTP, which needs the signing secret.
 */
export function slackConfig(config: Pick<Config, 'env'>): SlackConfig | undefined {
  const env = config.env;
  if (!env.SLACK_BOT_TOKEN) return undefined;
  const mode = env.SLACK_APP_TOKEN ? 'socket' : 'http';
  if (mode === 'http' && !env.SLACK_SIGNING_SECRET) {
    throw new LotseError('CONFIG_INVALID', 'Lotse cannot start: SLACK_BOT_TOKEN is set, but neither SLACK_SIGNING_SECRET (events over HTTP) nor SLACK_APP_TOKEN (Socket Mode).', {
      hint: "set SLACK_SIGNING_SECRET from the Slack app's Basic Information page, or SLACK_APP_TOKEN (xapp-…) for Socket Mode",
    });
  }
  const apiUrl = env.SLACK_API_URL ?? 'https://slack.com/api/';
  return {
    botToken: env.SLACK_BOT_TOKEN,
    mode,
    signingSecret: env.SLACK_SIGNING_SECRET,
    appToken: env.SLACK_APP_TOKEN,
    apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    advisorChannel: env.SLACK_ADVISOR_CHANNEL,
  };
}
