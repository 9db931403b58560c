import type { App } from '@slack/bolt';
import type { AdvisorRef } from '../../../core/case.js';
import type { HandoffApi } from '../../handoff-api.js';
import type { WebClient } from './client.js';
import { refusalText } from './actions.js';

/** The fields of a message event that decide whether it is an advisor's reply in a case thread. */
export interface ThreadMessage {
  channel: string;
  user: string;
  text: string;
  ts: string;
  threadTs: string;
}

/**
 * An advisor's reply in a thread, or undefined for everything else: bots (Lotse's own posts
 * included), subtypes (edits, deletions, joins, file shares), and top-level messages. A reply
 * also sent to the channel ("thread_broadcast") is still a reply: dropping it would lose it silently.
 */
export function readThreadMessage(event: Record<string, unknown>): ThreadMessage | undefined {
  if (event.type !== 'message' || event.bot_id !== undefined) return undefined;
  if (event.subtype !== undefined && event.subtype !== 'thread_broadcast') return undefined;
  const { channel, user, text, ts, thread_ts: threadTs } = event;
  if (typeof channel !== 'string' || typeof user !== 'string' || typeof text !== 'string' || typeof ts !== 'string' || typeof threadTs !== 'string') return undefined;
  if (threadTs === ts || text.trim() === '') return undefined;
  return { channel, user, text, ts, threadTs };
}

/**
 * Slack's mrkdwn as the plain text the user gets: links as "label (url)", mentions and channel
 * references as their names where Slack gave them, and the three escaped characters restored.
 */
export function slackToPlain(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, (_all, url: string, label: string) => (label === url || `mailto:${label}` === url ? label : `${label} (${url})`))
    .replace(/<((?:https?|mailto):[^>]+)>/g, (_all, url: string) => url.replace(/^mailto:/, ''))
    .replace(/<[@#!][^|>]*\|([^>]+)>/g, '$1')
    .replace(/<[@#!][^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

export interface ThreadReplyDeps {
  handoff: HandoffApi;
  onError: (error: unknown) => void;
}

/**
 * Replies in a case's thread go to the user, through HandoffApi.reply with the message's ts as its
 * id: a redelivered event is a no-op there. Only the holder's replies are sent; anyone else in the
 * thread (colleagues discussing the case) is told, in a message only they see, that theirs was not.
 */
export function registerThreadReplies(app: App, deps: ThreadReplyDeps): void {
  app.event('message', async ({ event, client }) => {
    const message = readThreadMessage(event as unknown as Record<string, unknown>);
    if (!message) return;
    try {
      const found = await deps.handoff.findBySlackThread(message.channel, message.threadTs);
      if (!found) return;
      const advisor: AdvisorRef = { id: message.user, name: found.claimedBy?.id === message.user ? found.claimedBy.name : message.user, via: 'slack' };
      const result = await deps.handoff.reply(found.id, advisor, slackToPlain(message.text), message.ts);
      const refusal = refusalText(result, { advisor }, 'reply');
      if (refusal) await tellInThread(client, message, `Not sent to the user. ${refusal}`);
    } catch (error) {
      deps.onError(error);
      await tellInThread(client, message, 'Lotse could not send this to the user just now; please send it again.').catch(deps.onError);
    }
  });
}

async function tellInThread(client: WebClient, message: ThreadMessage, text: string): Promise<void> {
  await client.chat.postEphemeral({ channel: message.channel, user: message.user, thread_ts: message.threadTs, text });
}
