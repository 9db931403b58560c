import type { NoticeProfile, NoticeSubscription, NoticeSubscriptions } from '../core/notices.js';
import { NOTICE_CHANNELS, SUBSCRIPTION_DAYS } from './subscription-store.js';

/** The subscriptions in memory: unit tests and one-shot runs. */
export class MemoryNoticeSubscriptions implements NoticeSubscriptions {
  readonly subscriptions = new Map<string, NoticeSubscription>();

  constructor(private readonly channels: readonly string[] = NOTICE_CHANNELS) {}

  supports(channel: string): boolean {
    return this.channels.includes(channel);
  }

  async get(conversationKey: string): Promise<NoticeSubscription | undefined> {
    const subscription = this.subscriptions.get(conversationKey);
    return subscription && { ...subscription };
  }

  async subscribe(input: { conversationKey: string; channel: string; userId: string } & NoticeProfile, now: Date): Promise<NoticeSubscription> {
    const existing = this.subscriptions.get(input.conversationKey);
    const subscription: NoticeSubscription = {
      ...input,
      optedInAt: existing?.optedInAt ?? now.toISOString(),
      confirmedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SUBSCRIPTION_DAYS * 86_400_000).toISOString(),
    };
    this.subscriptions.set(input.conversationKey, subscription);
    return { ...subscription };
  }

  async unsubscribe(conversationKey: string): Promise<boolean> {
    return this.subscriptions.delete(conversationKey);
  }

  async update(conversationKey: string, profile: NoticeProfile): Promise<void> {
    const existing = this.subscriptions.get(conversationKey);
    if (existing) this.subscriptions.set(conversationKey, { ...existing, language: profile.language, country: profile.country, audience: profile.audience });
  }
}
