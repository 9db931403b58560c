import { randomUUID } from 'node:crypto';
import type { EventNotice } from '../../src/notices/notice-types.js';

/** A scheduled event notice for every country, language and audience, three days ahead; a test overrides what it is about. */
export function eventNotice(extra: Partial<EventNotice> = {}): EventNotice {
  return {
    id: randomUUID().replace(/-/g, '').slice(0, 12),
    title: 'Virtual job fair: care work',
    titles: {},
    startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    timeZone: 'Europe/Berlin',
    link: 'https://www.example.org/fair?x=1',
    countries: 'all',
    languages: 'all',
    audience: 'both',
    createdBy: 'staff1',
    createdAt: new Date().toISOString(),
    status: 'scheduled',
    ...extra,
  };
}
