import type { Passage } from '../core/knowledge.js';
import { tokenize } from '../core/text/normalize-text.js';
import { questionTerms } from '../retrieval/retrieval-confidence.js';
import { answerUnits, unitText, unitWords, type AnswerUnit } from './answer-units.js';
import { definesSubject, questionKind, type QuestionKind } from './question-kind.js';

/** About how long an answer is before its sources: what a counsellor would say, not a document. */
export const ANSWER_WORDS = 80;
/** About how long the "more" part is. */
export const MORE_WORDS = 160;
/** Share of the best sentence's score another section's sentence needs to join a short answer. */
const SECOND_SHARE = 0.8;

const STEM = 5;
const LEVEL = /\b[ABC][12]\b/u;
const AMOUNT = /€|\bEUR\b|\beuros?\b|يورو|\d\s?%|\d{1,3}(?:[.,\s]\d{3})+|\d+[.,]\d{2}\b/iu;
const YEAR_OR_DATE = /\b(?:19|20)\d{2}\b|\b\d{1,2}\.\s?\d{1,2}\.|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December|Januar|Februar|März|Juni|Juli|Oktober|Dezember|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b/iu;
const DURATION = /\b\d+\s*(?:months?|weeks?|days?|years?|Monate?n?|Wochen|Tagen?|Jahren?|mois|semaines?|jours?|ans|meses|semanas|días|años|muaj|jav[eë]|dit[eë]|vjet|meseci|nedelja|dana|godina|tháng|tuần|ngày|năm|bulan|minggu|hari|tahun)\b|\d+\s*(?:أشهر|شهر|أسابيع|أيام|سنوات|ماہ|مہینے|ہفتے|دن|سال)/iu;
/** Cross-references between documents ("(see pam-programme)") mean nothing to a reader. */
const SEE_ALSO = /\s*\((?:see|siehe|voir|ver|véase|انظر|shih|vidi|xem|lihat|دیکھیں)\b[^)]*\)/giu;

export interface ComposedAnswer {
  /** The answer (Markdown), about ANSWER_WORDS words: the units that answer the question, in their order. */
  body: string;
  /** The rest worth reading (Markdown), for a "more" request; undefined when nothing is left. */
  more?: string;
  /** The passages the body quotes. */
  cited: Passage[];
  /** The passages the body and more quote, in order of use. */
  used: Passage[];
  kind: QuestionKind;
}

interface Scored {
  passage: number;
  unit: AnswerUnit;
  hits: number;
  score: number;
}

/** The words of a text and their 5-letter stems. */
function wordsAndStems(text: string): { words: Set<string>; stems: Set<string> } {
  const words = tokenize(text);
  return { words: new Set(words), stems: new Set(words.filter((w) => w.length >= STEM).map((w) => w.slice(0, STEM))) };
}

function contains(text: { words: Set<string>; stems: Set<string> }, term: string): boolean {
  return text.words.has(term) || (term.length >= STEM && text.stems.has(term.slice(0, STEM)));
}

/**
 * Weights of the question's words among the units at hand: a word every unit shares (the topic,
 * "Blue Card") says little about which sentence answers; a rarer one ("earn", "family") a lot.
 */
function termWeights(terms: readonly string[], texts: { words: Set<string>; stems: Set<string> }[]): Map<string, number> {
  const n = texts.length;
  return new Map(terms.map((term) => [term, Math.log((n + 1) / (texts.filter((t) => contains(t, term)).length + 0.5))]));
}

function matchOf(weights: Map<string, number>, text: { words: Set<string>; stems: Set<string> }): { score: number; hits: number } {
  let score = 0;
  let hits = 0;
  for (const [term, weight] of weights) {
    if (!contains(text, term)) continue;
    hits += 1;
    score += Math.max(weight, 0.1);
  }
  return { score, hits };
}

/** What a unit offers a question of this kind beyond shared words: the figure, the date, the list, the steps. */
function kindBonus(kind: QuestionKind, unit: AnswerUnit): number {
  const text = unitText(unit);
  switch (kind) {
    case 'amount':
      // "How much" wants a sum; "how many" (points, months) any figure.
      return AMOUNT.test(text) ? 3 : /\d/.test(text) ? 2 : 0;
    case 'level':
      return LEVEL.test(text) ? 3 : 0;
    case 'date':
      return YEAR_OR_DATE.test(text) || DURATION.test(text) ? 2 : 0;
    case 'list':
      return unit.kind === 'list' ? 2 + Math.min(unit.items.length, 5) * 0.1 : 0;
    case 'how':
      return unit.kind === 'list' ? (unit.numbered ? 3 : 1) : 0;
    default:
      return 0;
  }
}

function render(unit: AnswerUnit, items = unit.items): string {
  if (unit.kind === 'sentence') return unit.text;
  const lines = items.map((item, i) => (unit.numbered ? `${i + 1}. ${item}` : `- ${item}`));
  return [unit.text, ...lines].filter(Boolean).join('\n');
}

/** Units as Markdown: consecutive sentences in one paragraph, each list its own block. */
function toMarkdown(parts: { unit: AnswerUnit; items?: string[] }[]): string {
  const blocks: string[] = [];
  let paragraph: string[] = [];
  for (const { unit, items } of parts) {
    if (unit.kind === 'sentence') {
      paragraph.push(unit.text);
      continue;
    }
    if (paragraph.length) blocks.push(paragraph.join(' '));
    paragraph = [];
    blocks.push(render(unit, items));
  }
  if (paragraph.length) blocks.push(paragraph.join(' '));
  return blocks.join('\n\n').replace(SEE_ALSO, '');
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

const YEAR = /\b20\d{2}\b/g;
const yearsIn = (text: string) => [...text.matchAll(YEAR)].map((m) => Number(m[0]));

/** The year a question asks about ("in 2027"), if it names one. */
function yearAsked(question: string): number | undefined {
  return yearsIn(question).at(-1);
}

/**
 * A list of yearly figures ("In 2026 ...", "In 2025 ...") keeps the year asked about (or this
 * year's, else the latest before it): last year's figure next to this year's is read as the answer.
 */
function currentYearOnly(unit: AnswerUnit, year: number): AnswerUnit {
  if (unit.kind !== 'list') return unit;
  const dated = unit.items.map((item) => yearsIn(item));
  const years = new Set(dated.flat());
  if (years.size < 2 || dated.filter((y) => y.length > 0).length < 2) return unit;
  const chosen = years.has(year) ? year : Math.max(...[...years].filter((y) => y <= year), Math.min(...years));
  const items = unit.items.filter((_, i) => dated[i]!.length === 0 || dated[i]!.includes(chosen));
  return { ...unit, items };
}

/** A sentence about earlier years only (a figure that no longer applies). */
function onlyPastYears(unit: AnswerUnit, year: number): boolean {
  if (unit.kind !== 'sentence') return false;
  const years = yearsIn(unit.text);
  return years.length > 0 && years.every((y) => y < year);
}

/**
 * Builds a short answer from the passages' own sentences, shaped by the kind of question: the
 * best-matching unit with the sentences around it that also answer, cut at about ANSWER_WORDS;
 * the rest of that section, and the next document's lead, kept for "more". Nothing is written
 * that is not in a passage.
 */
export function composeAnswer(question: string, passages: Passage[], options: { maxWords?: number; language?: string; year?: number } = {}): ComposedAnswer {
  const kind = questionKind(question);
  const maxWords = options.maxWords ?? ANSWER_WORDS;
  const terms = questionTerms(question);
  const asked = yearAsked(question);
  const year = asked ?? options.year ?? new Date().getFullYear();
  const unitsOf = passages.map((p) => answerUnits(p.chunk.text.replace(SEE_ALSO, '')).map((unit) => currentYearOnly(unit, year)));
  const texts = unitsOf.map((units) => units.map((unit) => wordsAndStems(unitText(unit))));
  const weights = termWeights(terms, texts.flat());
  const scored: Scored[] = [];
  passages.forEach((passage, p) => {
    // Sections are written to answer their heading's question in their first sentence.
    const heading = matchOf(weights, wordsAndStems(passage.chunk.headings.join(' '))).score;
    unitsOf[p]!.forEach((unit, u) => {
      const match = matchOf(weights, texts[p]![u]!);
      const position = unit.index === 0 ? 0.6 + 0.5 * heading : unit.index === 1 ? 0.3 : 0;
      // "What is X?" is answered by the opening of the section that defines X.
      const defines = kind === 'definition' && unit.index === 0 && definesSubject(passage.chunk.headings.at(-1) ?? '') ? 3 : 0;
      const relevance = match.score + heading + kindBonus(kind, unit) + position + defines;
      // A passage in the user's own language reads better; one in another language must answer clearly better.
      const language = !options.language || passage.meta.language === options.language ? 1 : 0.8;
      const past = onlyPastYears(unit, year) ? 0.5 : 1;
      scored.push({ passage: p, unit, hits: match.score * past, score: relevance * past * language * (0.55 + 0.45 * passage.score) * (p === 0 ? 1 : 0.9 ** p) });
    });
  });
  const best = [...scored].sort((a, b) => b.score - a.score)[0];
  if (!best) return { body: '', cited: [], used: [], kind };

  // The answer: the best unit, then the units of its passage that also answer, in their order.
  const own = scored.filter((s) => s.passage === best.passage);
  const chosen = new Map<number, string[] | undefined>();
  let budget = maxWords;
  // A question about one year ("the minimum wage in 2027") gets that year's figures, not the others
  // the passage states next to them, when the passage has that year's.
  const hasAskedYear = asked !== undefined && own.some((s) => yearsIn(unitText(s.unit)).includes(asked));
  const otherYearOnly = (s: Scored) => {
    const years = yearsIn(unitText(s.unit));
    return hasAskedYear && years.length > 0 && !years.includes(asked);
  };
  const take = (s: Scored, force = false): boolean => {
    if (!force && otherYearOnly(s)) return false;
    const size = unitWords(s.unit);
    if (size <= budget) {
      chosen.set(s.unit.index, undefined);
      budget -= size;
      return true;
    }
    if (s.unit.kind === 'list' && (force || budget >= 25)) {
      // A long list: its lead-in and as many items as fit (at least three); the rest is "more".
      const items: string[] = [];
      let left = budget - words(s.unit.text);
      for (const item of s.unit.items) {
        if (words(item) > left && items.length >= 3) break;
        items.push(item);
        left -= words(item);
      }
      chosen.set(s.unit.index, items);
      budget = Math.max(0, left);
      return true;
    }
    if (force) {
      chosen.set(s.unit.index, undefined);
      budget = 0;
      return true;
    }
    return false;
  };
  take(best, true);
  // A section's first sentences answer its heading's question ("Yes. According to GIZ, ..."): when
  // the best unit comes soon after them, they come with it, and what lies between.
  if (best.unit.index > 0 && best.unit.index <= 3) {
    for (const s of own) if (s.unit.index < best.unit.index && unitWords(s.unit) <= 35) take(s);
  } else if (best.unit.index > 3 && own[0] && unitWords(own[0].unit) <= 12) take(own[0]);
  const bestKindBonus = kindBonus(kind, best.unit) > 0;
  for (const s of own) {
    if (chosen.has(s.unit.index) || budget <= 0) continue;
    const answersToo = (s.hits > 0 && s.hits >= best.hits * 0.6) || (kindBonus(kind, s.unit) > 0 && !bestKindBonus);
    // The sentence right after the best one usually finishes its thought ("It applies to ...").
    const follows = s.unit.index === best.unit.index + 1 && maxWords - budget < 45 && s.unit.kind === 'sentence';
    if (answersToo || follows) take(s);
  }
  const bodyUnits = own.filter((s) => chosen.has(s.unit.index)).map((s) => ({ unit: s.unit, items: chosen.get(s.unit.index) }));
  let body = toMarkdown(bodyUnits);
  // A short answer may take one more sentence from another section in the same language, when it
  // answers nearly as well as the best one (the fee after the procedure, the duration after the permit).
  const first = passages[best.passage]!;
  const second = scored
    .filter((s) => s.passage !== best.passage && s.unit.kind === 'sentence' && passages[s.passage]!.meta.language === first.meta.language)
    .sort((a, b) => b.score - a.score)[0];
  let extra: Passage | undefined;
  if (second && second.score >= best.score * SECOND_SHARE && second.hits > 0 && words(body) + unitWords(second.unit) <= maxWords) {
    body = `${body}\n\n${toMarkdown([{ unit: second.unit }])}`;
    extra = passages[second.passage];
  }

  // "More": what the answer left out of its section, then the next document's opening.
  const rest: { unit: AnswerUnit; items?: string[] }[] = [];
  for (const s of own) {
    const items = chosen.get(s.unit.index);
    if (!chosen.has(s.unit.index)) rest.push({ unit: s.unit });
    else if (items && items.length < s.unit.items.length) rest.push({ unit: { ...s.unit, text: '' }, items: s.unit.items.slice(items.length) });
  }
  const cited = [first, ...(extra && extra.meta.id !== first.meta.id ? [extra] : [])];
  const used = [...cited];
  let moreBudget = MORE_WORDS;
  const moreParts: { unit: AnswerUnit; items?: string[] }[] = [];
  for (const part of rest) {
    const size = unitWords({ text: part.unit.text, items: part.items ?? part.unit.items });
    if (size > moreBudget) break;
    moreParts.push(part);
    moreBudget -= size;
  }
  let more = toMarkdown(moreParts);
  const next = passages.find((p, i) => i !== best.passage && p.meta.id !== first.meta.id && p.meta.language === first.meta.language);
  if (next && moreBudget >= 40) {
    const lead: { unit: AnswerUnit }[] = [];
    for (const unit of answerUnits(next.chunk.text.replace(SEE_ALSO, ''))) {
      if (unitWords(unit) > moreBudget) break;
      lead.push({ unit });
      moreBudget -= unitWords(unit);
      if (lead.length >= 3) break;
    }
    if (lead.length) {
      more = [more, toMarkdown(lead)].filter(Boolean).join('\n\n');
      used.push(next);
    }
  }
  return { body, ...(more.trim() ? { more } : {}), cited, used, kind };
}
