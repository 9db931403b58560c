/** A Redis stream entry id, "<milliseconds>-<sequence>", as two 64-bit numbers. */
export interface StreamId {
  ms: bigint;
  seq: bigint;
}

const MAX_U64 = (1n << 64n) - 1n;

/** Reads a stream entry id (e.g. a browser's Last-Event-ID); null for anything else. */
export function parseStreamId(value: unknown): StreamId | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{1,20})-(\d{1,20})$/.exec(value);
  if (!match) return null;
  const ms = BigInt(match[1]!);
  const seq = BigInt(match[2]!);
  return ms <= MAX_U64 && seq <= MAX_U64 ? { ms, seq } : null;
}

/** Negative when a comes before b, zero when equal, positive after. */
export function compareStreamIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  return a.seq === b.seq ? 0 : a.seq < b.seq ? -1 : 1;
}

export const formatStreamId = (id: StreamId): string => `${id.ms}-${id.seq}`;
