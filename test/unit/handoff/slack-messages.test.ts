import { describe, expect, it } from 'vitest';
import { readThreadMessage, slackToPlain } from '../../../src/handoff/advisors/slack/messages.js';

const reply = { type: 'message', channel: 'C1', user: 'UANNA', text: 'Hello', ts: '1700000002.000200', thread_ts: '1700000001.000100' };

describe('advisor replies in Slack threads', () => {
  it('takes a person\'s reply in a thread', () => {
    expect(readThreadMessage(reply)).toEqual({ channel: 'C1', user: 'UANNA', text: 'Hello', ts: reply.ts, threadTs: reply.thread_ts });
  });

  it('ignores bots, subtypes (edits, joins, deletions), top-level messages and thread parents', () => {
    expect(readThreadMessage({ ...reply, bot_id: 'B1' })).toBeUndefined();
    expect(readThreadMessage({ ...reply, subtype: 'message_changed' })).toBeUndefined();
    expect(readThreadMessage({ ...reply, subtype: 'channel_join' })).toBeUndefined();
    expect(readThreadMessage({ ...reply, subtype: 'file_share' })).toBeUndefined();
    expect(readThreadMessage({ ...reply, thread_ts: undefined })).toBeUndefined();
    expect(readThreadMessage({ ...reply, thread_ts: reply.ts })).toBeUndefined();
    expect(readThreadMessage({ ...reply, text: '  ' })).toBeUndefined();
    expect(readThreadMessage({ ...reply, type: 'app_mention' })).toBeUndefined();
  });

  it('takes a reply also sent to the channel (thread_broadcast): it is still a reply', () => {
    expect(readThreadMessage({ ...reply, subtype: 'thread_broadcast' })).toMatchObject({ text: 'Hello', threadTs: reply.thread_ts });
  });

  it('turns Slack mrkdwn into the plain text the user gets', () => {
    expect(slackToPlain('See <https://www.make-it-in-germany.com/en|Make it in Germany> &amp; <https://bamf.de>')).toBe('See Make it in Germany (https://www.make-it-in-germany.com/en) & https://bamf.de');
    expect(slackToPlain('<mailto:info@example.org|info@example.org>')).toBe('info@example.org');
    expect(slackToPlain('<@UANNA> 3 &lt; 4 &gt; 2')).toBe('3 < 4 > 2');
    expect(slackToPlain('ask in <#C123|advisors>')).toBe('ask in advisors');
  });
});
