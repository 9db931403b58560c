import { describe, expect, it } from 'vitest';
import { ConsoleRefusal } from '../../../src/handoff/advisors/console/refusals.js';
import { parseInput } from '../../../src/handoff/advisors/console/console-extensions.js';
import { rangeQuerySchema, resolveRange } from '../../../src/statistics/statistics-console.js';

const today = '2026-03-10';
const range = (query: unknown) => resolveRange(parseInput(rangeQuerySchema, query), today, 400);
const refusal = (query: unknown) => {
  try {
    range(query);
  } catch (error) {
    expect(error).toBeInstanceOf(ConsoleRefusal);
    return `${(error as ConsoleRefusal).statusCode} ${(error as Error).message}`;
  }
  throw new Error('not refused');
};

describe('the statistics range', () => {
  it('is the last 30 days by default, or a period up to today', () => {
    expect(range({})).toEqual({ from: '2026-02-09', to: today, period: 30 });
    expect(range({ days: '7' })).toEqual({ from: '2026-03-04', to: today, period: 7 });
    expect(range({ days: '90', from: '2026-01-01', to: '2026-01-02' })).toMatchObject({ period: 90, to: today });
  });

  it('takes dates, either alone, when no period is chosen', () => {
    expect(range({ days: '', from: '2026-03-01', to: '2026-03-05' })).toEqual({ from: '2026-03-01', to: '2026-03-05' });
    expect(range({ from: '2026-03-01' })).toEqual({ from: '2026-03-01', to: today });
    expect(range({ from: '', to: '2026-03-05' })).toEqual({ from: '2026-02-04', to: '2026-03-05' });
  });

  it('refuses what makes no sense with a 400 naming the field', () => {
    expect(refusal({ days: '12' })).toMatch(/^400 days: one of 7, 30, 90/);
    expect(refusal({ from: '2026-02-30' })).toBe('400 from: a date as YYYY-MM-DD');
    expect(refusal({ to: 'yesterday' })).toBe('400 to: a date as YYYY-MM-DD');
    expect(refusal({ from: '2026-03-05', to: '2026-03-01' })).toBe('400 from: must not be after to');
    expect(refusal({ to: '2026-03-11' })).toBe('400 to: must not be after today (2026-03-10)');
    expect(refusal({ from: '2024-01-01', to: '2026-03-01' })).toMatch(/^400 from: at most 400 days/);
    expect(refusal({ from: ['2026-03-01', '2026-03-02'] })).toMatch(/^400 from: /);
    expect(refusal({ size: 'big' })).toMatch(/^400 .*size/);
  });
});
