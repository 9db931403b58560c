import { RTL_LANGUAGES, type Language } from '../core/knowledge.js';
import type { OutboundMessage } from '../core/message.js';
import type { Translator } from '../core/ports.js';
import { formatEventTime } from './event-time.js';
import type { BroadcastKind, EventNotice } from './notice-types.js';

/** The title for readers of a language: staff's own in that language, else the main one. */
export function noticeTitle(notice: Pick<EventNotice, 'title' | 'titles'>, language: Language): string {
  return notice.titles[language] ?? notice.title;
}

/** Markdown's special characters escaped, so that a title shows as written ("C++ *basics*"). */
const escapeMarkdown = (text: string) => text.replace(/[\\`*_[\]<>#|~!]/g, '\\$&');

/** The stable id of one sending to one user: a repeated run (after a crash) can recognise it. */
export const noticeMessageId = (noticeId: string, conversationKey: string, kind: BroadcastKind) => `notice:${noticeId}:${conversationKey}:${kind}`;

/**
 * The notice as a message in the reader's language (Lotse's own words from the locale's `notices`):
 * what, when (in the event's time zone, named), the link, and how to stop the notices. A
 * cancellation says what will not take place and when it was to be, with no link.
 */
export function noticeText(notice: EventNotice, kind: BroadcastKind, language: Language, translator: Translator): string {
  const t = (key: string, params: Record<string, unknown> = {}) => translator.t(language, `notices.${key}`, params);
  const title = `**${escapeMarkdown(noticeTitle(notice, language))}**`;
  const when = t('when', { date: formatEventTime(new Date(notice.startsAt), notice.timeZone, language) });
  if (kind === 'cancellation') return [t('cancelled', { title }), when, '', t('footer')].join('\n');
  return [
    t(kind === 'announce' ? 'announce' : 'reminder', { title }),
    when,
    // An autolink: every channel renders it as the address itself (URL.href has no spaces or angle brackets).
    t('link', { link: `<${notice.link}>` }),
    '',
    t('footer'),
  ].join('\n');
}

/** The notice as an OutboundMessage for a channel's own sender. */
export function noticeMessage(notice: EventNotice, kind: BroadcastKind, recipient: { conversationKey: string; channel: string; userId: string; language: Language }, translator: Translator): OutboundMessage {
  return {
    id: noticeMessageId(notice.id, recipient.conversationKey, kind),
    channel: recipient.channel,
    userId: recipient.userId,
    text: noticeText(notice, kind, recipient.language, translator),
    language: recipient.language,
    direction: RTL_LANGUAGES.has(recipient.language) ? 'rtl' : 'ltr',
  };
}

/** Meta refuses template parameters with line breaks, tabs or more than four spaces in a row. */
const templateSafe = (text: string, max: number) => Array.from(text.replace(/[\r\n\t]+/g, ' ').replace(/ {4,}/g, '   ').trim()).slice(0, max).join('');

/** The notice template's body parameters {{1}} title, {{2}} date and time, {{3}} link, in the template's language. */
export function templateParameters(notice: EventNotice, language: Language): [string, string, string] {
  return [templateSafe(noticeTitle(notice, language), 200), templateSafe(formatEventTime(new Date(notice.startsAt), notice.timeZone, language), 200), templateSafe(notice.link, 1000)];
}

/** The cancellation template's body parameters {{1}} title, {{2}} date and time, in the template's language. */
export function cancellationTemplateParameters(notice: EventNotice, language: Language): [string, string] {
  const [title, when] = templateParameters(notice, language);
  return [title, when];
}
