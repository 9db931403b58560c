import { describe, expect, it } from 'vitest';
import { readNameMessages, scoreNameRedaction } from '../../helpers/name-redaction-score.js';

/**
 * The frozen held-out set (test/fixtures/name-redaction-heldout, written by a helper who saw neither
 * the rules nor the knowledge): measured, never tuned on. The floors are the last measurement less a
 * margin: a change that loses names or eats proper nouns fails here. NAME_REDACTION_REPORT=1 prints
 * the figures per language (and what was missed: read it only to report, never to tune).
 */
describe('name redaction on the held-out set', () => {
  const messages = readNameMessages(new URL('../../fixtures/name-redaction-heldout/messages.jsonl', import.meta.url));

  it('is the frozen set: 200 messages, ten languages', () => {
    expect(messages).toHaveLength(200);
    expect(new Set(messages.map((m) => m.language)).size).toBe(10);
  });

  it('removes most names and leaves the controls as they were', () => {
    const score = scoreNameRedaction(messages);
    if (process.env.NAME_REDACTION_REPORT) console.log(score.table.join('\n'));
    expect(score.removed / score.names).toBeGreaterThanOrEqual(FLOOR.names);
    expect(score.untouched / score.controls).toBeGreaterThanOrEqual(FLOOR.controls);
  });
});

// Measured 2026-12-01, each time before looking at this set's misses: 61, then 79, then (rules tuned on the development set
// test/fixtures/name-redaction-dev, 208 of 226 there) 108 of 145 names removed; controls untouched 80, 80, then 78 of 80.
const FLOOR = { names: 0.7, controls: 0.95 };
