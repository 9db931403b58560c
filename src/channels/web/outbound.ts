import type { Redis } from 'ioredis';
import type { ChannelSender } from '../../core/channel.js';
import type { OutboundMessage } from '../../core/message.js';

/** Keys of a web session's outbox (a Redis list, kept a day) and of its "new reply" notification. */
export const webKeys = (prefix: string, session: string) => ({ outbox: `${prefix}web:outbox:${session}`, notify: `${prefix}web:notify:${session}` });

/** Delivers a reply to a browser: appends it to the session's outbox and notifies the gateways. */
export class WebSender implements ChannelSender {
  readonly channel = 'web';

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'lotse:',
  ) {}

  async send(reply: OutboundMessage): Promise<void> {
    const keys = webKeys(this.prefix, reply.userId);
    const event = { id: reply.id, text: reply.text, language: reply.language, direction: reply.direction, buttons: reply.buttons ?? [], sources: reply.sources ?? [] };
    await this.redis.multi().rpush(keys.outbox, JSON.stringify(event)).expire(keys.outbox, 86_400).publish(keys.notify, '1').exec();
  }

  async typing(userId: string): Promise<void> {
    await this.redis.publish(webKeys(this.prefix, userId).notify, 'typing');
  }
}
