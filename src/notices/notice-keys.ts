/**
 * The Redis keys of event notices. A notice's own keys share the hash tag `{id}`, so that one
 * script may touch the notice and its recipients on a Redis Cluster; the rest are used one at a time.
 */
export class NoticeKeys {
  constructor(readonly prefix = 'lotse:') {}

  /** Hash: one subscriber (channel, user, language, country, audience, times); expires a year after the latest opt-in. */
  subscription(conversationKey: string): string {
    return `${this.prefix}notices:sub:${conversationKey}`;
  }

  /** Sorted set: a channel's subscribers (conversation keys), scored by when each subscription ends. */
  subscribers(channel: string): string {
    return `${this.prefix}notices:subscribers:${channel}`;
  }

  /** Sorted set: notice ids by the event's start. */
  get index(): string {
    return `${this.prefix}notices:index`;
  }

  /** Hash: the notice, its status and each sending's counts. */
  notice(id: string): string {
    return `${this.prefix}notices:{${id}}:notice`;
  }

  /** Hash: conversation key -> RecipientState, for one sending of a notice (what makes a repeated run send nobody twice). */
  recipients(id: string, kind: string): string {
    return `${this.prefix}notices:{${id}}:${kind}`;
  }
}
