import type { NoticeProfile } from '../core/notices.js';
import type { EventNotice } from './notice-types.js';

/**
 * Whether a notice is for a subscriber: their language among the notice's (or all), their country
 * among its countries (or all), their audience its audience (or both). A subscriber whose country
 * or audience Lotse does not know gets only notices for all countries, or for both audiences: a
 * notice meant for Ghana reaches nobody who might be elsewhere.
 */
export function noticeReaches(notice: Pick<EventNotice, 'countries' | 'languages' | 'audience'>, subscriber: NoticeProfile): boolean {
  const language = notice.languages === 'all' || notice.languages.includes(subscriber.language);
  const country = notice.countries === 'all' || (subscriber.country !== undefined && notice.countries.includes(subscriber.country));
  const audience = notice.audience === 'both' || subscriber.audience === notice.audience;
  return language && country && audience;
}
