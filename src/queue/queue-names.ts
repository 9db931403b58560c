import { createHash } from 'node:crypto';

/** Queue names, in one place. Inbound is split in partitions, each handled one job at a time. */
export const QUEUES = {
  inbound: (partition: number) => `inbound-${partition}`,
  outbound: 'outbound',
} as const;

/** Partitions of the inbound queue (default 16): the number of conversations handled at once. */
export const DEFAULT_PARTITIONS = 16;

/** The partition of a conversation: all its messages land in one FIFO queue, so they are handled in order. */
export function partitionOf(conversationKey: string, partitions: number): number {
  return createHash('sha1').update(conversationKey).digest().readUInt32BE(0) % partitions;
}

/** BullMQ job ids may not contain ":" nor be all digits; platform ids are mapped to a safe, stable form. */
export function jobIdFor(id: string): string {
  return `m_${id.replaceAll('%', '%25').replaceAll(':', '%3A')}`;
}
