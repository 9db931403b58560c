import { describe, expect, it } from 'vitest';
import { OpenStreams } from '../../../src/channels/web/open-streams.js';

describe('the open event streams of a gateway', () => {
  it('caps the streams per session and per process, and frees a slot once when one closes', () => {
    const streams = new OpenStreams(2, 3);
    const a1 = streams.open('a', () => undefined);
    const a2 = streams.open('a', () => undefined);
    expect(streams.open('a', () => undefined)).toEqual({ ok: false, reason: 'session' });
    const b1 = streams.open('b', () => undefined);
    expect(streams.open('c', () => undefined)).toEqual({ ok: false, reason: 'process' });
    expect([a1.ok, a2.ok, b1.ok]).toEqual([true, true, true]);
    if (a1.ok) {
      a1.close();
      a1.close();
    }
    expect(streams.size).toBe(2);
    expect(streams.open('c', () => undefined).ok).toBe(true);
    expect(streams.open('c', () => undefined)).toEqual({ ok: false, reason: 'process' });
  });

  it('passes a signal to the streams of its session only, and to all on "close"', () => {
    const streams = new OpenStreams(3, 10);
    const got: string[] = [];
    streams.open('a', (signal) => got.push(`a:${signal}`));
    streams.open('b', (signal) => got.push(`b:${signal}`));
    streams.signal('a', '1-0');
    streams.signal('nobody', '1-1');
    streams.signalAll('close');
    expect(got).toEqual(['a:1-0', 'a:close', 'b:close']);
  });
});
