import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareStreamIds, formatStreamId, parseStreamId } from '../../../src/channels/web/stream-ids.js';

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe('stream entry ids', () => {
  it('reads back what it writes, and orders by milliseconds, then sequence', () => {
    fc.assert(
      fc.property(u64, u64, u64, u64, (ms1, seq1, ms2, seq2) => {
        const a = parseStreamId(`${ms1}-${seq1}`)!;
        const b = parseStreamId(`${ms2}-${seq2}`)!;
        expect(formatStreamId(a)).toBe(`${ms1}-${seq1}`);
        const expected = ms1 !== ms2 ? Math.sign(Number(ms1 - ms2)) : Math.sign(Number(seq1 - seq2));
        expect(compareStreamIds(a, b)).toBe(expected);
      }),
    );
  });

  it('refuses anything a browser may send that is not a full id', () => {
    for (const value of [undefined, '', '7', '-1-0', '1-', '1-2-3', ' 1-2', '1-2\n', 'abc', '18446744073709551616-0', '1-18446744073709551616', ['1-2'], 12]) expect(parseStreamId(value)).toBeNull();
    expect(parseStreamId('18446744073709551615-18446744073709551615')).not.toBeNull();
  });
});
