import { describe, expect, it } from 'vitest';
import { PassageSearch } from '../../../src/handoff/passage-search.js';
import { testRetriever } from '../../helpers/load-test-index.js';

describe('the advisors\' passage search', () => {
  it('finds a cited passage on the real index, opened once, on first use', async () => {
    let opened = 0;
    const search = new PassageSearch(async () => {
      opened += 1;
      return testRetriever();
    });
    expect(await search.search('  ')).toEqual([]);
    expect(opened).toBe(0);
    const hits = await search.search('How many points do I need for the Opportunity Card?');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.cited).toMatch(/points/i);
    expect(hits[0]!.cited).toMatch(/— .+, https:\/\/.+ \(as of 20\d\d-\d\d-\d\d\)$/);
    await search.search('Blue Card salary 2026');
    expect(opened).toBe(1);
  });
});
