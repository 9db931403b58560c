import type { Config } from '../config/config.js';
import { eraseEverywhere, type UserDataStores } from '../core/erasure.js';
import { conversationKey } from '../core/message.js';
import { RedisConversationStore, RedisDedupeStore } from '../conversation/redis-stores.js';
import { CaseRepository } from '../handoff/case-repository.js';
import { createSlaQueue, HANDOFF_QUEUES } from '../handoff/handoff-workers.js';
import { existingLogId } from '../infra/log-ids.js';
import { asRedis, type RedisConnection } from '../infra/redis.js';
import { DeadLetters } from '../queue/dead-letters.js';
import { LaneQueue } from '../queue/lanes/lane-queue.js';
import { MessageQueues } from '../queue/message-queues.js';
import { exportUserData, heldCounts, type UserDataExport } from './user-data-export.js';
import { userDataParticipants } from './user-data-participants.js';

export interface UserDataOptions {
  redis: RedisConnection;
  config: Pick<Config, 'env'>;
  /** Lotse's and BullMQ's key prefixes, as the service uses them (defaults "lotse:" and "bull"; tests set their own). */
  keyPrefix?: string;
  bullPrefix?: string;
  now?: () => Date;
}

/** What an operator's erasure did: what each section held before, and what is still there after (nothing, normally). */
export interface ErasureSummary {
  erased: Record<string, number>;
  left: Record<string, number>;
}

/** A user's data in the service's Redis, for a tool that does not run the service: export and erase. */
export interface UserDataAccess {
  export(channel: string, userId: string): Promise<UserDataExport>;
  erase(channel: string, userId: string): Promise<ErasureSummary>;
  close(): Promise<void>;
}

/**
 * Opens the stores and the participants on a Redis connection, as the service does (the same list,
 * from userDataParticipants), without starting anything: `npm run export` and its tests. Nothing is
 * written but what erasure deletes (and BullMQ's bookkeeping of its queues).
 */
export async function openUserData(options: UserDataOptions): Promise<UserDataAccess> {
  const { redis, config } = options;
  const keyPrefix = options.keyPrefix ?? 'lotse:';
  const retentionDays = config.env.RETENTION_DAYS;
  const queues = new MessageQueues(redis, { keyPrefix, bullPrefix: options.bullPrefix });
  const noticeLanes = new LaneQueue(redis, { kind: 'adv', queueName: HANDOFF_QUEUES.notices, keyPrefix, bullPrefix: options.bullPrefix });
  const slaQueue = createSlaQueue(redis, options.bullPrefix);
  const cases = new CaseRepository(redis, keyPrefix, retentionDays);
  const participants = userDataParticipants({
    redis: asRedis(redis),
    keyPrefix,
    retentionDays,
    queues,
    noticeLanes,
    slaQueue,
    cases,
    deadLetters: new DeadLetters(redis, keyPrefix),
    logId: await existingLogId(asRedis(redis), keyPrefix),
  });
  const conversations = new RedisConversationStore(redis, { prefix: keyPrefix, retentionDays });
  const stores: UserDataStores = { conversations, cases, dedupe: new RedisDedupeStore(redis, { prefix: keyPrefix }), erasure: participants };
  const exportOf = (channel: string, userId: string) => exportUserData({ conversations, cases, participants, retentionDays, now: options.now }, channel, userId);
  return {
    export: exportOf,
    async erase(channel, userId) {
      const key = conversationKey(channel, userId);
      const erased = heldCounts(await exportOf(channel, userId));
      // Outside a turn, the messages not handled yet go first, so that no worker starts on one now.
      await queues.eraseUnhandled(key);
      await eraseEverywhere(stores, key);
      let left = heldCounts(await exportOf(channel, userId));
      // A turn that was running at that very moment may have saved after the erasure: once more.
      if (Object.keys(left).length > 0) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await queues.eraseUnhandled(key);
        await eraseEverywhere(stores, key);
        left = heldCounts(await exportOf(channel, userId));
      }
      return { erased, left };
    },
    async close() {
      await Promise.all([queues.close(), noticeLanes.close(), slaQueue.close()]);
    },
  };
}
