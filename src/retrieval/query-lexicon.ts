import { parse } from 'yaml';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../core/knowledge.js';
import { tokenize } from '../core/text/normalize-text.js';
import type { KnowledgeProblem } from './knowledge-loader.js';
import { readYamlEntries } from './yaml-entries.js';

/** The lexicon file, relative to the knowledge folder (see the file itself for its format). */
export const LEXICON_FILE = 'lexicon.yaml';

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case');
const form = z
  .string()
  .min(1)
  .refine((f) => f.split(/\s+/).every((word) => !word.endsWith('*') || word.replace(/\*$/, '').length >= 3), 'a stem before * needs at least 3 letters')
  .refine((f) => f.trim() !== '#', 'a form needs a word besides #');

export const lexiconConceptSchema = z
  .object({
    to: z.string().min(2),
    mentions: kebab.optional(),
    centre: z.boolean().default(false),
    names: z.array(kebab).default([]),
    ...(Object.fromEntries(LANGUAGES.map((language) => [language, z.array(form).default([])])) as Record<Language, z.ZodDefault<z.ZodArray<typeof form>>>),
  })
  .strict();

export const lexiconSchema = z.object({ concepts: z.array(lexiconConceptSchema) }).strict();
export type LexiconConcept = z.infer<typeof lexiconConceptSchema>;

/** What a question names, as far as the lexicon knows. */
export interface LexiconMatch {
  /** The concepts named, in the order they first appear. */
  concepts: LexiconConcept[];
  /** The normalised English words (`to:`) of each concept named. */
  english: string[][];
  /** Eligibility groups the question mentions (e.g. asylum-seekers). */
  mentions: ReadonlySet<string>;
  /** True when the question asks for a centre or an advice office. */
  centre: boolean;
  /** Base ids of documents the question names. */
  names: ReadonlySet<string>;
  /** The question's (normalised) words that the concepts were found in. */
  words: ReadonlySet<string>;
}

interface Word {
  text: string;
  /** True when the word matches any ending (a trailing * in the lexicon). */
  prefix: boolean;
  /** True for # in the lexicon: any two-digit number from 16 (an age: "# ans", "عمري #"). */
  number?: boolean;
}

const AGE = /^\d{2}$/;
const isAge = (word: string) => AGE.test(word) && Number(word) >= 16;

interface CompiledForm {
  words: Word[];
  concept: number;
}

const ARABIC = /\p{Script=Arabic}/u;
/** Arabic article and one-letter prefixes (and, with, for, so), longest first: "والمركز" is "و" + "ال" + "مركز". */
const ARABIC_PREFIXES = ['وال', 'بال', 'فال', 'كال', 'لل', 'ال', 'و', 'ب', 'ل', 'ف'];
/** The shortest stem a prefix in the index is keyed by. */
const KEY = 3;

/** A word as it may stand in the lexicon: without the Arabic article. */
function lexiconWord(word: string): string {
  return ARABIC.test(word) && word.startsWith('ال') && word.length >= 5 ? word.slice(2) : word;
}

/** The readings of a question's word: itself, with "dj" (a folded đ) as "d", and in Arabic script without its article or a one-letter prefix. */
export function readings(word: string): string[] {
  // "đ" folds to "dj"; the lexicon may write it either way, and users type it as "d" too.
  if (word.includes('dj')) return [word, word.replaceAll('dj', 'd')];
  if (!ARABIC.test(word)) return [word];
  const out = [word];
  for (const prefix of ARABIC_PREFIXES) if (word.startsWith(prefix) && word.length - prefix.length >= 3) out.push(word.slice(prefix.length));
  return out;
}

/** The normalised words of a lexicon form; "đ" typed as "d" is a second spelling (Vietnamese, Serbian). */
function compileForm(raw: string): Word[][] {
  const words: Word[] = [];
  for (const piece of raw.trim().split(/\s+/)) {
    if (piece === '#') {
      words.push({ text: '#', prefix: false, number: true });
      continue;
    }
    const prefix = piece.endsWith('*');
    const tokens = tokenize(piece.replace(/\*+$/, '')).map(lexiconWord);
    tokens.forEach((text, i) => words.push({ text, prefix: prefix && i === tokens.length - 1 }));
  }
  if (words.length === 0) return [];
  const spellings = [words];
  if (words.some((w) => w.text.includes('dj'))) spellings.push(words.map((w) => ({ ...w, text: w.text.replaceAll('dj', 'd') })));
  return spellings;
}

/**
 * The multilingual lexicon (knowledge/lexicon.yaml): finds the concepts a question names, in any of
 * the ten languages, so that retrieval can search for them in English too. Matching is word by
 * word on normalised text, through a hash of first words: a question costs a few map lookups per word.
 */
export class QueryLexicon {
  private readonly exact = new Map<string, CompiledForm[]>();
  private readonly prefixed = new Map<string, CompiledForm[]>();
  private readonly numberFirst: CompiledForm[] = [];
  private readonly toWords: string[][];

  constructor(readonly concepts: readonly LexiconConcept[]) {
    this.toWords = concepts.map((concept) => tokenize(concept.to));
    concepts.forEach((concept, index) => {
      for (const language of LANGUAGES) {
        for (const raw of concept[language]) {
          for (const words of compileForm(raw)) {
            const first = words[0]!;
            if (first.number) {
              this.numberFirst.push({ words, concept: index });
              continue;
            }
            const map = first.prefix ? this.prefixed : this.exact;
            const key = first.prefix ? first.text.slice(0, KEY) : first.text;
            const list = map.get(key) ?? map.set(key, []).get(key)!;
            if (!list.some((f) => f.concept === index && sameWords(f.words, words))) list.push({ words, concept: index });
          }
        }
      }
    });
  }

  static parse(source: string): QueryLexicon {
    return new QueryLexicon(lexiconSchema.parse(parse(source)).concepts);
  }

  /** The concepts a question names, and what they say about ranking. */
  match(text: string): LexiconMatch {
    const tokens = tokenize(text);
    const words = tokens.map(readings);
    const found = new Set<number>();
    const used = new Set<string>();
    for (let i = 0; i < words.length; i++) {
      for (const reading of words[i]!) {
        const forms = [...(this.exact.get(reading) ?? []), ...(reading.length >= KEY ? (this.prefixed.get(reading.slice(0, KEY)) ?? []) : []), ...(isAge(reading) ? this.numberFirst : [])];
        for (const candidate of forms) {
          if (!matchesAt(candidate.words, words, i)) continue;
          found.add(candidate.concept);
          for (let j = i; j < i + candidate.words.length; j++) used.add(tokens[j]!);
        }
      }
    }
    const concepts = [...found].map((index) => this.concepts[index]!);
    return {
      concepts,
      english: [...found].map((index) => this.toWords[index]!),
      mentions: new Set(concepts.flatMap((c) => (c.mentions ? [c.mentions] : []))),
      centre: concepts.some((c) => c.centre),
      names: new Set(concepts.flatMap((c) => c.names)),
      words: used,
    };
  }
}

function sameWords(a: Word[], b: Word[]): boolean {
  return a.length === b.length && a.every((w, i) => w.text === b[i]!.text && w.prefix === b[i]!.prefix);
}

function wordMatches(word: Word, readingsOfToken: string[]): boolean {
  return readingsOfToken.some((r) => (word.number ? isAge(r) : word.prefix ? r.startsWith(word.text) : r === word.text));
}

function matchesAt(form: Word[], words: string[][], start: number): boolean {
  if (start + form.length > words.length) return false;
  return form.every((word, offset) => wordMatches(word, words[start + offset]!));
}

/** Reads and checks the lexicon of a knowledge folder: none when the file is missing, problems in words an author can act on. */
export async function loadLexicon(knowledgeDir: string): Promise<{ concepts: LexiconConcept[]; problems: KnowledgeProblem[] }> {
  const { entries: concepts, problems } = await readYamlEntries(knowledgeDir, LEXICON_FILE, {
    list: (data) => {
      const list = (data as { concepts?: unknown } | null)?.concepts;
      return Array.isArray(list) ? list : undefined;
    },
    shape: 'a YAML mapping with a list `concepts:`',
    schema: lexiconConceptSchema,
    label: (entry, index) => `"${(entry as { to?: string } | null)?.to ?? `concept ${index + 1}`}"`,
  });
  return { concepts, problems };
}
