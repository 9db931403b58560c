import { readFileSync } from 'node:fs';
import { PiiRedactor } from '../../src/privacy/pii-redactor.js';
import { redactNames } from '../../src/privacy/name-redactor.js';

export interface NameMessage {
  id: string;
  language: string;
  text: string;
  names: string[];
}

export interface NameRedactionScore {
  messages: number;
  names: number;
  removed: number;
  clean: number;
  controls: number;
  untouched: number;
  /** One line per language and one for all. */
  table: string[];
  misses: string[];
  changedControls: string[];
}

export function readNameMessages(file: URL): NameMessage[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as NameMessage);
}

/** A name is gone when none of its words longer than two letters is left as a word of its own. */
const leaked = (out: string, name: string) => name.split(/\s+/).some((word) => word.length > 2 && new RegExp(`(?<![\\p{L}\\p{M}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{M}])`, 'u').test(out));

/** What statistics keep of each message (the PiiRedactor's pass, then the names' in its language), scored against the names it holds. */
export function scoreNameRedaction(messages: NameMessage[]): NameRedactionScore {
  type Row = Omit<NameRedactionScore, 'table' | 'misses' | 'changedControls'>;
  const rows: Record<string, Row> = {};
  const misses: string[] = [];
  const changedControls: string[] = [];
  for (const m of messages) {
    const row = (rows[m.language] ??= { messages: 0, names: 0, removed: 0, clean: 0, controls: 0, untouched: 0 });
    const before = new PiiRedactor().redact(m.text);
    const out = redactNames(before, m.language);
    if (m.names.length === 0) {
      row.controls++;
      if (out === before) row.untouched++;
      else changedControls.push(`${m.id}: ${out}`);
      continue;
    }
    row.messages++;
    const left = m.names.filter((name) => leaked(out, name));
    for (const name of left) misses.push(`${m.id} "${name}": ${out}`);
    row.names += m.names.length;
    row.removed += m.names.length - left.length;
    if (left.length === 0) row.clean++;
  }
  const total = Object.values(rows).reduce((a, r) => ({ messages: a.messages + r.messages, names: a.names + r.names, removed: a.removed + r.removed, clean: a.clean + r.clean, controls: a.controls + r.controls, untouched: a.untouched + r.untouched }));
  const table = Object.entries({ ...rows, all: total }).map(([language, r]) => `${language.padEnd(4)} names ${r.removed}/${r.names}  messages clean ${r.clean}/${r.messages}  controls untouched ${r.untouched}/${r.controls}`);
  return { ...total, table, misses, changedControls };
}
