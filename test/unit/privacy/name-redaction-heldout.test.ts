import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PiiRedactor } from '../../../src/privacy/pii-redactor.js';
import { redactNames } from '../../../src/privacy/name-redactor.js';

interface Message {
  id: string;
  language: string;
  text: string;
  names: string[];
}

const messages: Message[] = readFileSync(new URL('../../fixtures/name-redaction-heldout/messages.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as Message);

/** What statistics keep of a question: the PiiRedactor's pass, then the names'. */
const kept = (text: string) => redactNames(new PiiRedactor().redact(text));
/** A name is gone when none of its words longer than two letters is left where the name stood. */
const leaked = (out: string, name: string) => name.split(/\s+/).some((word) => word.length > 2 && new RegExp(`(?<![\\p{L}\\p{M}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{M}])`, 'u').test(out));

/**
 * The frozen held-out set (test/fixtures/name-redaction-heldout, written by a helper who saw neither
 * the rules nor the knowledge): measured, never tuned on. The floors are what the first measurement
 * gave, less a margin: a change that loses names or eats proper nouns fails here. Figures: closing note of issue 13.
 */
describe('name redaction on the held-out set', () => {
  it('is the frozen set: 200 messages, ten languages', () => {
    expect(messages).toHaveLength(200);
    expect(new Set(messages.map((m) => m.language)).size).toBe(10);
  });

  it('removes names and keeps controls as they were; figures per language', () => {
    const rows: Record<string, { names: number; removed: number; messages: number; clean: number; controls: number; untouched: number }> = {};
    const misses: string[] = [];
    const eaten: string[] = [];
    for (const m of messages) {
      const row = (rows[m.language] ??= { names: 0, removed: 0, messages: 0, clean: 0, controls: 0, untouched: 0 });
      const out = kept(m.text);
      if (m.names.length === 0) {
        row.controls++;
        if (out === new PiiRedactor().redact(m.text)) row.untouched++;
        else eaten.push(`${m.id}: ${out}`);
        continue;
      }
      row.messages++;
      let allGone = true;
      for (const name of m.names) {
        row.names++;
        if (leaked(out, name)) {
          allGone = false;
          misses.push(`${m.id} "${name}": ${out}`);
        } else row.removed++;
      }
      if (allGone) row.clean++;
    }
    const total = Object.values(rows).reduce((a, r) => ({ names: a.names + r.names, removed: a.removed + r.removed, messages: a.messages + r.messages, clean: a.clean + r.clean, controls: a.controls + r.controls, untouched: a.untouched + r.untouched }));
    const table = Object.entries({ ...rows, all: total }).map(([language, r]) => `${language.padEnd(4)} names ${r.removed}/${r.names}  messages clean ${r.clean}/${r.messages}  controls untouched ${r.untouched}/${r.controls}`);
    if (process.env.NAME_REDACTION_REPORT) console.log([...table, '', 'missed:', ...misses, '', 'changed controls:', ...eaten].join('\n'));
    expect(total.removed / total.names).toBeGreaterThanOrEqual(FLOOR.names);
    expect(total.untouched / total.controls).toBeGreaterThanOrEqual(FLOOR.controls);
  });
});

// Measured 2026-12-01: 79 of 145 names removed (61 before the second set of rules, written without looking at this set's misses), 80 of 80 controls untouched.
const FLOOR = { names: 0.5, controls: 0.95 };
