import { describe, expect, it } from 'vitest';
import { readNameMessages, scoreNameRedaction } from '../../helpers/name-redaction-score.js';

/**
 * The development sets (test/fixtures/name-redaction-dev and -dev-2, each by a helper who saw
 * neither the rules nor the held-out sets): the rules and the list of given names were tuned on
 * them, so their figures are not the ones to quote (those are the held-out sets'). They keep the
 * tuning from sliding back. NAME_REDACTION_REPORT=1 prints the misses.
 */
describe.each([
  // 206 of 226 names and 100 of 100 controls with the cue rules; 208 and 100 with the given names (2026-12-01).
  { set: 'name-redaction-dev', messages: 300, floor: { names: 0.88, controls: 0.98 } },
  // Half of its names stand without a cue. 95 of 241 and 117 of 120 with the cue rules; 206 and 120 with the given names (2026-12-01).
  { set: 'name-redaction-dev-2', messages: 300, floor: { names: 0.82, controls: 0.98 } },
])('name redaction on the development set $set', ({ set, messages: size, floor }) => {
  it('removes the names it was tuned on and leaves every control as it was', () => {
    const score = scoreNameRedaction(readNameMessages(new URL(`../../fixtures/${set}/messages.jsonl`, import.meta.url)));
    if (process.env.NAME_REDACTION_REPORT) console.log([set, ...score.table, '', ...score.misses, '', ...score.changedControls].join('\n'));
    expect(score.messages + score.controls).toBe(size);
    expect(score.removed / score.names).toBeGreaterThanOrEqual(floor.names);
    expect(score.untouched / score.controls).toBeGreaterThanOrEqual(floor.controls);
  });
});
