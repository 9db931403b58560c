import type { Redis } from 'ioredis';
import type { ChannelSender } from '../../core/channel.js';
import type { SourceRef } from '../../core/answer.js';
import type { OutboundMessage, SourceLabels } from '../../core/message.js';
import { Messages } from '../../i18n/i18n.js';
import { renderReplyHtml, withoutListedSources } from './render.js';

/**
 * Keys of a web session: `outbox`, the Redis stream of its replies (the one key to DEL to erase
 * them), and `notify`, the channel that tells every gateway a reply was added.
 */
export const webKeys = (prefix: string, session: string) => ({ outbox: `${prefix}web:outbox:${session}`, notify: `${prefix}web:notify:${session}` });

/** Replies kept per session: enough to redraw a conversation after a reload, not an archive. */
export const OUTBOX_LENGTH = 200;
/** A session's outbox lives a day after its last reply, like the session cookie. */
export const OUTBOX_TTL_SECONDS = 86_400;

/**
 * One atomic step, so that no gateway is told of an entry that is not there yet: append (trimmed
 * to about OUTBOX_LENGTH; "~" lets Redis drop whole nodes, which is cheap), renew the expiry, and
 * publish the new entry's id ("first:<id>" when it starts a new outbox). The first entry of an
 * outbox also carries a field `first`, so that a page learns the conversation started anew (and
 * forgets the messages it kept of the old one), also after a reload.
 *
 * An erasure deletes the outbox while the page may stay open, its last event id in hand. Redis
 * numbers a new stream from the clock in milliseconds, from sequence 0, so an entry written in
 * the same millisecond as the last one before the erasure could get the same id or a lower one,
 * and the page would skip it. A new outbox therefore starts at a sequence number taken from the
 * microseconds, above any sequence reached earlier in that millisecond; later entries follow on.
 */
const APPEND = `
local id = '*'
local first = redis.call('EXISTS', KEYS[1]) == 0
if first then
  local now = redis.call('TIME')
  local micros = tonumber(now[2])
  id = string.format('%.0f-%.0f', tonumber(now[1]) * 1000 + math.floor(micros / 1000), (micros % 1000 + 1) * 1000000)
end
if first then
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], id, 'reply', ARGV[1], 'first', '1')
else
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], id, 'reply', ARGV[1])
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], first and ('first:' .. id) or id)
return id`;

/** What the page receives for one reply (the SSE event's data). */
export interface WebReplyEvent {
  id: string;
  /** The reply's Markdown, as the engine wrote it. */
  text: string;
  /** `text` rendered for the page (render.ts), without a sources list the text may still carry. */
  html: string;
  language: string;
  direction: 'ltr' | 'rtl';
  buttons: { label: string; action: string }[];
  sources: SourceRef[];
  /** The words of the sources list in the reply's language; the page puts `asOf` before the date. */
  sourceLabels: SourceLabels;
  /** Set by the reply stream on the first entry of an outbox: the conversation started anew there. */
  first?: true;
}

/** Delivers a reply to a browser: one part, appended to the session's outbox stream. */
export class WebSender implements ChannelSender {
  readonly channel = 'web';

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'lotse:',
    /** Lotse's words, for the labels of a sources list that came without `sourceLabels` (default: read from src/i18n/locales). */
    private readonly messages: Messages = Messages.create(),
  ) {}

  async send(reply: OutboundMessage, _part = 0): Promise<void> {
    const keys = webKeys(this.prefix, reply.userId);
    const sources = reply.sources ?? [];
    const event: WebReplyEvent = {
      id: reply.id,
      text: reply.text,
      html: renderReplyHtml(withoutListedSources(reply.text, sources), reply.direction),
      language: reply.language,
      direction: reply.direction,
      buttons: reply.buttons ?? [],
      sources,
      sourceLabels: reply.sourceLabels ?? this.defaultLabels(reply.language),
    };
    // The notify channel is an argument, not a key: on a Redis Cluster a script's keys share one slot.
    await this.redis.eval(APPEND, 1, keys.outbox, JSON.stringify(event), OUTBOX_LENGTH, OUTBOX_TTL_SECONDS, keys.notify);
  }

  private defaultLabels(language: OutboundMessage['language']): SourceLabels {
    const t = this.messages.for(language);
    // The page fills the slot; i18next would otherwise fill it with nothing.
    return { heading: t('answer.sources'), asOf: t('answer.asOf', { date: '{{date}}' }) };
  }

  async typing(userId: string): Promise<void> {
    await this.redis.publish(webKeys(this.prefix, userId).notify, 'typing');
  }
}
