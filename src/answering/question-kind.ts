import { normalizeText } from '../core/text/normalize-text.js';

/**
 * What a question asks for, which decides the shape of the answer: an amount or a date gets the
 * figure and what it applies to, a language level the level, a list question a list, "how do I" the steps, the rest the
 * sentences that answer it.
 */
export type QuestionKind = 'amount' | 'level' | 'date' | 'list' | 'how' | 'definition' | 'general';

/**
 * Cue words per kind, in the ten languages (normalised: lower case, no accents; Arabic and Urdu
 * folded as normalizeText folds them). A cue matches as a whole word or phrase.
 */
const CUES: Record<Exclude<QuestionKind, 'general'>, string[]> = {
  amount: [
    // en
    'how much', 'how many euros', 'cost', 'costs', 'fee', 'fees', 'price', 'salary', 'salaries', 'wage', 'minimum wage', 'income', 'pay', 'paid', 'earn', 'amount', 'threshold', 'money', 'funds', 'blocked account',
    // de
    'wie viel', 'wieviel', 'kosten', 'kostet', 'gebuhr', 'gebuhren', 'gehalt', 'lohn', 'mindestlohn', 'einkommen', 'verdienen', 'betrag', 'sperrkonto', 'geld',
    // fr
    'combien', 'cout', 'coute', 'frais', 'prix', 'salaire', 'montant', 'gagner', 'revenu', 'argent',
    // es
    'cuanto', 'cuanta', 'cuesta', 'costo', 'coste', 'tasa', 'precio', 'sueldo', 'salario', 'ganar', 'dinero', 'monto',
    // ar
    'كم', 'تكلفه', 'تكلفة', 'رسوم', 'سعر', 'راتب', 'الراتب', 'الحد الادنى', 'مبلغ', 'فلوس', 'قديش', 'بكم',
    // ur / roman ur
    'کتنا', 'کتنی', 'کتنے', 'فیس', 'تنخواہ', 'خرچ', 'kitna', 'kitni', 'kitne', 'fees', 'tankhwah', 'kharcha',
    // sq
    'sa kushton', 'sa para', 'kosto', 'tarifa', 'paga', 'rroga',
    // sr
    'koliko', 'kosta', 'kostaju', 'cena', 'plata', 'naknada', 'taksa',
    // vi
    'bao nhieu', 'chi phi', 'le phi', 'luong', 'muc luong',
    // id
    'berapa', 'biaya', 'gaji', 'harga', 'upah',
  ],
  level: [
    'which level', 'what level', 'level of german', 'german level', 'what level', 'welches niveau', 'welches sprachniveau', 'quel niveau', 'que nivel', 'cual nivel', 'اي مستوى', 'ای مستوى', 'كم مستوى', 'kaunsa level', 'konsa level', 'cili nivel', 'cfare niveli', 'koji nivo', 'koji nivo jezika', 'trinh do nao', 'level berapa', 'tingkat berapa',
  ],
  definition: [
    'what is', 'what s', 'whats', 'what are', 'what does', 'was ist', 'was sind', 'was bedeutet', 'qu est ce que', 'qu est ce qu', 'c est quoi', 'que es', 'que son', 'ما هو', 'ما هي', 'ايش هو', 'شو هو', 'شو هي', 'ايه هو', 'ايه هي',
    'کیا ہے', 'کیا ہیں', 'kya hai', 'cfare eshte', 'cka eshte', 'sta je', 'šta je', 'sta su', 'la gi', 'la cai gi', 'apa itu', 'apa yang dimaksud',
  ],
  date: [
    'when', 'how long', 'deadline', 'until when', 'wann', 'wie lange', 'bis wann', 'frist', 'quand', 'combien de temps', 'delai', 'jusqu a quand',
    'cuando', 'cuanto tiempo', 'plazo', 'متى', 'امتى', 'كم مده', 'كم مدة', 'kab', 'کب', 'kitne din', 'kitna waqt', 'kur', 'sa kohe', 'sa zgjat', 'kada', 'koliko traje', 'koliko dugo',
    'khi nao', 'bao lau', 'kapan', 'berapa lama',
  ],
  list: [
    'which countries', 'what countries', 'which documents', 'what documents', 'which professions', 'what are the', 'list', 'who can', 'who is eligible', 'requirements', 'conditions',
    'welche lander', 'welche unterlagen', 'welche dokumente', 'welche berufe', 'wer kann', 'voraussetzungen', 'bedingungen',
    'quels pays', 'quels documents', 'quelles professions', 'qui peut', 'conditions', 'criteres',
    'que paises', 'cuales paises', 'que documentos', 'quien puede', 'requisitos', 'condiciones',
    'ما هي الدول', 'اي دول', 'ايش الدول', 'الدول', 'الوثائق', 'المستندات', 'الشروط', 'من يمكنه', 'مين يقدر',
    'کون سے ممالک', 'کون سے کاغذات', 'شرائط', 'kaun se', 'shartein', 'kon se',
    'cilat vende', 'cilat dokumente', 'kushtet', 'kush mund', 'koje zemlje', 'koji dokumenti', 'uslovi', 'ko moze',
    'nhung nuoc nao', 'nuoc nao', 'giay to', 'dieu kien', 'ai co the', 'negara mana', 'dokumen apa', 'syarat', 'siapa yang bisa',
  ],
  how: [
    'how do i', 'how can i', 'how to', 'how does', 'what steps', 'steps', 'apply', 'procedure', 'process',
    'wie kann ich', 'wie beantrage', 'wie bewerbe', 'wie funktioniert', 'antrag stellen', 'schritte', 'ablauf', 'verfahren',
    'comment', 'demarches', 'etapes', 'procedure', 'postuler', 'demander',
    'como', 'pasos', 'tramite', 'solicitar', 'aplicar',
    'كيف', 'كيفاش', 'ازاي', 'شلون', 'خطوات', 'اجراءات', 'طريقه', 'طريقة', 'التقديم',
    'کیسے', 'طریقہ', 'kaise', 'tarika', 'apply kaise',
    'si mund', 'si te', 'si aplikoj', 'hapat', 'kako da', 'kako mogu', 'kako se', 'postupak', 'koraci',
    'lam the nao', 'lam sao', 'cach', 'thu tuc', 'cac buoc', 'bagaimana', 'cara', 'langkah', 'prosedur',
  ],
};

/** Whether a section's heading says it defines its subject ("What StarthilfePlus is", "Qu'est-ce que Triple Win ?"). */
export function definesSubject(heading: string): boolean {
  return hasCue(normalizeText(heading), FOLDED.definition) || /^what [a-z]/i.test(heading);
}

/** Each cue folded the way questions are, once. */
const FOLDED = Object.fromEntries(Object.entries(CUES).map(([kind, cues]) => [kind, [...new Set(cues.map((cue) => normalizeText(cue)))]])) as Record<keyof typeof CUES, string[]>;

function hasCue(normalized: string, cues: readonly string[]): boolean {
  const padded = ` ${normalized} `;
  return cues.some((cue) => cue !== '' && padded.includes(` ${cue} `));
}

/**
 * The kind of a question. A date question outranks an amount one ("how long does it take" names no
 * sum), a list one outranks "how" ("which documents do I need to apply"), and an amount outranks
 * a list ("which salary").
 */
export function questionKind(question: string): QuestionKind {
  const normalized = normalizeText(question);
  if (hasCue(normalized, FOLDED.date)) return 'date';
  if (hasCue(normalized, FOLDED.level)) return 'level';
  if (hasCue(normalized, FOLDED.amount)) return 'amount';
  if (hasCue(normalized, FOLDED.list)) return 'list';
  if (hasCue(normalized, FOLDED.how)) return 'how';
  if (hasCue(normalized, FOLDED.definition)) return 'definition';
  return 'general';
}
