/** BullMQ queue names, in one place. Inbound and outbound carry wake-ups for lanes; typing is best effort. */
export const QUEUES = {
  inbound: 'inbound',
  outbound: 'outbound',
  typing: 'typing',
} as const;

/** Lane families: one inbound lane per conversation, one outbound lane per chat. */
export const LANES = {
  inbound: 'in',
  outbound: 'out',
} as const;
