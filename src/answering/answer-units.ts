/**
 * A passage cut into the pieces an answer is built from: sentences, and lists (a lead-in sentence
 * with its items, which only make sense together). A table becomes a list, one item per row with
 * its column names, because messaging channels cannot show tables and a row without its header
 * means little.
 */
export interface AnswerUnit {
  kind: 'sentence' | 'list';
  /** The sentence, or the list's lead-in (may be ''). */
  text: string;
  /** The list's items, as written (without their "-" or "1."). */
  items: string[];
  /** Whether the list was numbered (steps). */
  numbered: boolean;
  /** Position in the passage, for putting chosen units back in their order. */
  index: number;
}

/** Abbreviations after which a full stop does not end a sentence. */
const ABBREVIATIONS = /(?:\b(?:e\.g|i\.e|z\.\s?B|d\.\s?h|u\.\s?a|bzw|ca|approx|Nr|No|Abs|Art|S|Dr|Prof|etc|vs|St|p|pp|cf|vgl|inkl|incl|min|max|sog|ggf|usw|Mr|Mrs|Ms|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|bzw|resp|art|al|env|cf)|(?<![\d.,])\d{1,2})\.$/u;

/** Splits running text into sentences at ". ", "! ", "? " and the Arabic and Urdu stops, not after abbreviations or numbers. */
export function sentencesOf(text: string): string[] {
  const parts = text.split(/(?<=[.!?؟۔])\s+(?=[\p{Lu}\p{Lo}"“«(\d§€])/u);
  const sentences: string[] = [];
  for (const part of parts) {
    const last = sentences.at(-1);
    if (last !== undefined && ABBREVIATIONS.test(last)) sentences[sentences.length - 1] = `${last} ${part}`;
    else sentences.push(part);
  }
  return sentences.map((s) => s.trim()).filter(Boolean);
}

const LIST_ITEM = /^\s*(?:[-*•]|(\d+)[.)])\s+(.*)$/u;
const TABLE_ROW = /^\s*\|.*\|\s*$/u;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}/u;

function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());
}

/** A table row as one list item: "2026: Standard 50,700 €; shortage occupations 45,934.20 €". */
function rowItem(header: string[], row: string[]): string {
  const [first, ...rest] = row;
  const described = rest.map((cell, i) => (header[i + 1] ? `${header[i + 1]}: ${cell}` : cell)).filter((part) => !/:\s*$/.test(part));
  return described.length > 0 ? `${first}: ${described.join('; ')}` : (first ?? '');
}

/** Cuts a passage (Markdown) into answer units, in order. */
export function answerUnits(text: string): AnswerUnit[] {
  const units: AnswerUnit[] = [];
  const lines = text.split('\n');
  let paragraph: string[] = [];
  const flushParagraph = () => {
    if (paragraph.length === 0) return;
    for (const sentence of sentencesOf(paragraph.join(' '))) units.push({ kind: 'sentence', text: sentence, items: [], numbered: false, index: units.length });
    paragraph = [];
  };
  /** The last unit becomes the lead-in of a list when it introduces one (ends with ":"), else the list stands alone. */
  const startList = (numbered: boolean): AnswerUnit => {
    const last = units.at(-1);
    if (last && last.kind === 'sentence' && /[:：]$/.test(last.text)) {
      last.kind = 'list';
      last.numbered = numbered;
      return last;
    }
    const unit: AnswerUnit = { kind: 'list', text: '', items: [], numbered, index: units.length };
    units.push(unit);
    return unit;
  };
  let list: AnswerUnit | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (TABLE_ROW.test(line)) {
      flushParagraph();
      const header = cells(line);
      const rows: string[] = [];
      let j = i + 1;
      for (; j < lines.length && TABLE_ROW.test(lines[j]!); j++) if (!TABLE_RULE.test(lines[j]!.replace(/^\s*\|/, ''))) rows.push(lines[j]!);
      const table = startList(false);
      table.items.push(...rows.map((row) => rowItem(header, cells(row))));
      list = undefined;
      i = j - 1;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flushParagraph();
      list = list ?? startList(item[1] !== undefined);
      list.items.push(item[2]!.trim());
      continue;
    }
    if (list && /^\s{2,}\S/.test(line)) {
      // A continuation line of the last item.
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    list = undefined;
    if (line.trim() === '') flushParagraph();
    else paragraph.push(line.trim());
  }
  flushParagraph();
  return units;
}

/** A unit's whole text: the sentence, or the list's lead-in and its items. */
export function unitText(unit: Pick<AnswerUnit, 'text' | 'items'>): string {
  return [unit.text, ...unit.items].join(' ');
}

/** Words of a unit as a reader counts them. */
export function unitWords(unit: Pick<AnswerUnit, 'text' | 'items'>): number {
  return unitText(unit).split(/\s+/).filter(Boolean).length;
}
