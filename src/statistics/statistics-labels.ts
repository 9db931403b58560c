import type { Dimension } from './statistics-fields.js';

/** Names for the page and the CSV, in English (the console's language). */

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

const CHANNELS: Record<string, string> = { web: 'Web chat', telegram: 'Telegram', whatsapp: 'WhatsApp' };
const AUDIENCES: Record<string, string> = { prospective: 'Going to Germany', returnee: 'Returned' };
const QUESTIONS: Record<string, string> = { answered: 'Answered', unanswered: 'Not answerable from the knowledge', escalated: 'Handed to an advisor' };
const ESCALATIONS: Record<string, string> = {
  user_request: 'The user asked for an advisor',
  low_confidence: 'The knowledge had no answer',
  sensitive: 'Individual or sensitive case',
  safety: 'Safety (danger)',
};
const OUTCOMES: Record<string, string> = {
  answered: 'Answered',
  referred: 'Referred',
  no_show: 'User did not respond',
  other: 'Other',
  unspecified: 'Resolved, no outcome given',
  cancelled: 'Cancelled or expired before an advisor resolved it',
};

function safeName(names: Intl.DisplayNames, code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The label of one value of a dimension (sources are titled by the catalogue, not here). */
export function valueLabel(dimension: Dimension, key: string): string {
  switch (dimension) {
    case 'channel':
      return CHANNELS[key] ?? key;
    case 'language':
      return safeName(languageNames, key);
    case 'country':
      return key === 'unknown' ? 'Not known' : key === 'XK' ? 'Kosovo' : safeName(regionNames, key);
    case 'audience':
      return AUDIENCES[key] ?? key;
    case 'question':
      return QUESTIONS[key] ?? key;
    case 'escalation':
      return ESCALATIONS[key] ?? key;
    case 'danger':
      return key.replace(/_/g, ' ').replace(/^./, (first) => first.toUpperCase());
    case 'outcome':
      return OUTCOMES[key] ?? key;
    default:
      return key;
  }
}
