import { LocalEmbeddings } from '../retrieval/local-embeddings.js';
import type { UnansweredQuestion } from './unanswered-questions.js';

/** Questions similar enough to a group's centre (cosine of the local n-gram embeddings) join it. */
export const GROUP_SIMILARITY = 0.42;
/** Examples shown besides a group's representative. */
export const MORE_EXAMPLES = 3;

/** A group of similar unanswered questions, all redacted. */
export interface QuestionGroup {
  /** The representative question's id: names the group in the page and its links. */
  id: string;
  questionIds: string[];
  count: number;
  /** Distinct conversations that asked (by their keyed hashes; the hashes themselves are not shown). */
  conversations: number;
  /** Languages asked in, most frequent first. */
  languages: { language: string; count: number }[];
  /** The question closest to the group's centre. */
  example: string;
  /** A few other questions of the group, most alike first, each text once. */
  more: string[];
  firstAt: string;
  lastAt: string;
}

/** What redaction puts in: it says nothing about the subject, so it is no reason to group two questions. */
const PLACEHOLDERS = /\[(?:phone|email|iban|id-number|name|handle)\]/g;
const normalised = (text: string) => text.replace(PLACEHOLDERS, ' ').toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, ' ').trim();

interface Sparse {
  index: Int32Array;
  value: Float64Array;
}

function sparseEmbedding(embedder: LocalEmbeddings, text: string): Sparse {
  const dense = embedder.embedText(text);
  const index: number[] = [];
  const value: number[] = [];
  dense.forEach((v, i) => {
    if (v !== 0) {
      index.push(i);
      value.push(v);
    }
  });
  return { index: Int32Array.from(index), value: Float64Array.from(value) };
}

const dot = (a: Sparse, centre: Float64Array) => {
  let sum = 0;
  for (let i = 0; i < a.index.length; i++) sum += a.value[i]! * centre[a.index[i]!]!;
  return sum;
};

interface Forming {
  centre: Float64Array;
  /** |centre|², kept as members join. */
  norm2: number;
  members: { question: UnansweredQuestion; vector: Sparse }[];
}

/**
 * Groups questions that ask the same thing: the offline n-gram embeddings the knowledge index
 * uses (no text leaves the machine), each question joining the group whose centre is most alike
 * when it is alike enough (GROUP_SIMILARITY), or starting a new one. The same words (after folding
 * case and punctuation) always share a group. Questions in different languages mostly stay apart:
 * the embeddings compare spellings, not meanings. Largest groups first.
 */
export function groupQuestions(questions: readonly UnansweredQuestion[], similarity = GROUP_SIMILARITY): QuestionGroup[] {
  const embedder = new LocalEmbeddings();
  const ordered = [...questions].sort((a, b) => a.at.localeCompare(b.at));
  const groups: Forming[] = [];
  const byText = new Map<string, Forming>();
  for (const question of ordered) {
    const text = normalised(question.text);
    const vector = sparseEmbedding(embedder, text);
    let group = byText.get(text);
    if (!group && vector.index.length > 0) {
      let best = similarity;
      for (const candidate of groups) {
        const cosine = dot(vector, candidate.centre) / Math.sqrt(candidate.norm2 || 1);
        if (cosine >= best) {
          best = cosine;
          group = candidate;
        }
      }
    }
    if (!group) {
      group = { centre: new Float64Array(embedder.dimensions), norm2: 0, members: [] };
      groups.push(group);
    }
    // |c + v|² = |c|² + 2 c·v + |v|²
    group.norm2 += 2 * dot(vector, group.centre) + vector.value.reduce((sum, v) => sum + v * v, 0);
    for (let i = 0; i < vector.index.length; i++) group.centre[vector.index[i]!]! += vector.value[i]!;
    group.members.push({ question, vector });
    byText.set(text, group);
  }
  return groups.map(describe).sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}

function describe(group: Forming): QuestionGroup {
  const norm = Math.sqrt(group.norm2 || 1);
  const ranked = group.members
    .map((member) => ({ ...member, closeness: dot(member.vector, group.centre) / norm }))
    .sort((a, b) => b.closeness - a.closeness || b.question.at.localeCompare(a.question.at));
  const representative = ranked[0]!.question;
  const seen = new Set([normalised(representative.text)]);
  const more: string[] = [];
  for (const { question } of ranked.slice(1)) {
    const key = normalised(question.text);
    if (seen.has(key)) continue;
    seen.add(key);
    more.push(question.text);
    if (more.length === MORE_EXAMPLES) break;
  }
  const languages = new Map<string, number>();
  for (const { question } of group.members) languages.set(question.language, (languages.get(question.language) ?? 0) + 1);
  const times = group.members.map(({ question }) => question.at).sort();
  return {
    id: representative.id,
    questionIds: group.members.map(({ question }) => question.id),
    count: group.members.length,
    conversations: new Set(group.members.map(({ question }) => question.conversation)).size,
    languages: [...languages].map(([language, count]) => ({ language, count })).sort((a, b) => b.count - a.count || a.language.localeCompare(b.language)),
    example: representative.text,
    more,
    firstAt: times[0]!,
    lastAt: times.at(-1)!,
  };
}
