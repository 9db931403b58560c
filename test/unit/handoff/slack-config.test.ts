import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { slackConfig } from '../../../src/handoff/advisors/slack/config.js';

describe('Slack settings', () => {
  it('stays off without SLACK_BOT_TOKEN', () => {
    expect(slackConfig(loadConfig({}))).toBeUndefined();
  });

  it('runs over HTTP with the signing secret, with a Web API base ending in a slash', () => {
    const config = slackConfig(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api', SLACK_ADVISOR_CHANNEL: 'C1' }));
    expect(config).toEqual({ botToken: 'xoxb-1', mode: 'http', signingSecret: 's', appToken: undefined, apiUrl: 'http://127.0.0.1:9/api/', advisorChannel: 'C1' });
    expect(slackConfig(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }))!.apiUrl).toBe('https://slack.com/api/');
  });

  it('uses Socket Mode with SLACK_APP_TOKEN', () => {
    expect(slackConfig(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }))!.mode).toBe('socket');
  });

  it('refuses a bot token with neither a signing secret nor an app token, saying how to fix it', () => {
    expect(() => slackConfig(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toThrow(/SLACK_SIGNING_SECRET/);
  });
});
