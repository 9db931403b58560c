import { describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../../src/core/knowledge.js';
import { csvCell, csvLine, statisticsCsv } from '../../../src/statistics/statistics-csv.js';
import { parseDayCounts } from '../../../src/statistics/statistics-fields.js';

/** A tiny CSV reader (RFC 4180), to read back what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(12)).toBe('12');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('keeps a spreadsheet from running a cell as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvLine(['x', '=1', 3])).toBe("x,'=1,3\r\n");
  });
});

describe('the statistics CSV', () => {
  const documents = [{ id: 'pam', baseId: 'pam', title: 'PAM: "Partnerships", labour migration', language: 'en' }] as DocumentMeta[];
  const day = (date: string, hash: Record<string, string>) => ({ day: date, counts: parseDayCounts(hash) });

  it('has one row per day and metric, titles escaped, small countries summed as other', () => {
    const days = [
      day('2026-03-01', { started: '3', active: '4', turns: '9', 'question:answered': '5', 'question:unanswered': '1', 'source:pam': '5', 'country:GH': '4', 'country:TN': '1', 'topic:=cmd': '1', 'wait:2': '1', wait_count: '1', wait_seconds: '240' }),
      day('2026-03-02', { active: '2', turns: '2', 'country:GH': '2', 'country:SN': '2' }),
    ];
    const csv = statisticsCsv(days, documents);
    expect(csv.startsWith('\uFEFFdate,metric,key,label,value\r\n')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual(['date', 'metric', 'key', 'label', 'value']);
    const find = (date: string, metric: string, key = '') => rows.find((r) => r[0] === date && r[1] === metric && r[2] === key)?.[4];
    expect(find('2026-03-01', 'conversations_started')).toBe('3');
    expect(find('2026-03-02', 'conversations_started')).toBe('0');
    expect(find('2026-03-01', 'questions', 'answered')).toBe('5');
    expect(rows.find((r) => r[1] === 'answers_by_source')).toEqual(['2026-03-01', 'answers_by_source', 'pam', 'PAM: "Partnerships", labour migration', '5']);
    // Ghana has 6 in the range, Tunisia 1 and Senegal 2: those two are "other", per day too.
    expect(find('2026-03-01', 'conversations_by_country', 'GH')).toBe('4');
    expect(find('2026-03-01', 'conversations_by_country', 'other')).toBe('1');
    expect(find('2026-03-02', 'conversations_by_country', 'other')).toBe('2');
    expect(rows.some((r) => r[2] === 'TN' || r[2] === 'SN')).toBe(false);
    expect(rows.find((r) => r[1] === 'conversations_by_country' && r[2] === 'GH')?.[3]).toBe('Ghana');
    // A key that looks like a formula is defused.
    expect(rows.find((r) => r[1] === 'questions_by_topic')?.[2]).toBe("'=cmd");
    expect(find('2026-03-01', 'wait_median_minutes')).toBe('3.5');
    expect(find('2026-03-02', 'wait_median_minutes')).toBeUndefined();
    expect(rows.every((r) => r.length === 5)).toBe(true);
  });
});
