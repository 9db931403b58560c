import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { ConsoleRefusal } from '../../handoff/advisors/console/refusals.js';
import { asPage, parseInput, requireRole, type ConsoleExtension } from '../../handoff/advisors/console/console-extensions.js';
import type { AdvisorRole } from '../../handoff/advisors/console/accounts.js';
import { formatEventTime } from '../event-time.js';
import { noticeInputSchema, validateNotice } from '../notice-input.js';
import type { NoticeService } from '../notice-service.js';
import type { StoredNotice } from '../notice-types.js';
import { noticesPage } from './notices-page.js';
import { NOTICES_SCRIPT } from './notices-script.js';
import { NOTICES_STYLES } from './notices-styles.js';

/** Programme staff announce; admins may too; advisors may not (403). */
const ANNOUNCERS: readonly AdvisorRole[] = ['staff', 'admin'];
const NOT_ALLOWED = 'Only programme staff and admins can announce event notices.';

const idParams = z.strictObject({ id: z.string().regex(/^[a-f0-9]{12}$/, 'not a notice id') });
const emptyBody = z.strictObject({});

/** A notice as the page shows it: its fields, its time in words (English, the console's language) and each sending's counts. */
function noticeView(notice: StoredNotice) {
  return { ...notice, when: formatEventTime(new Date(notice.startsAt), notice.timeZone, 'en') };
}

const asset = (reply: FastifyReply, type: string, body: string) => reply.type(type).header('cache-control', 'no-cache').send(body);

/**
 * The console page at /advisor/notices, inside the console's scope (its sign-in, CSRF, rate limit
 * and security headers): the form and list for a person, the JSON API for its script. A refused
 * form answers 400 with `fields`, one reason per field, which the page shows beside each.
 */
export function noticesConsole(service: NoticeService): ConsoleExtension {
  const reminderMinutes = Math.round(service.reminderLeadMs / 60_000);
  return {
    link: { href: '/advisor/notices', label: 'Event notices', roles: ANNOUNCERS },
    routes(scope, access) {
      scope.get('/advisor/notices.js', async (_request, reply) => asset(reply, 'text/javascript; charset=utf-8', NOTICES_SCRIPT));
      scope.get('/advisor/notices.css', async (_request, reply) => asset(reply, 'text/css; charset=utf-8', NOTICES_STYLES));
      scope.get('/advisor/notices', async (request, reply) =>
        asPage(reply, async () => {
          requireRole(await access.signedIn(request), ANNOUNCERS, NOT_ALLOWED);
          return noticesPage(reminderMinutes);
        }),
      );
      scope.get('/advisor/api/notices', async (request) => {
        requireRole(await access.signedIn(request), ANNOUNCERS, NOT_ALLOWED);
        const { upcoming, past } = await service.list();
        return { csrfToken: await access.csrfToken(request), reminderMinutes, upcoming: upcoming.map(noticeView), past: past.map(noticeView) };
      });
      scope.post('/advisor/api/notices', { bodyLimit: 32_768 }, async (request, reply) => {
        const account = await access.changing(request);
        requireRole(account, ANNOUNCERS, NOT_ALLOWED);
        const checked = validateNotice(parseInput(noticeInputSchema, request.body), new Date());
        if (!checked.ok) return reply.code(400).send({ error: 'Please correct the fields marked.', fields: checked.problems });
        const notice = await service.announce(checked.notice, account.name);
        return reply.code(201).send({ notice: noticeView(notice) });
      });
      scope.post('/advisor/api/notices/:id/cancel', { bodyLimit: 1_024 }, async (request) => {
        const account = await access.changing(request);
        requireRole(account, ANNOUNCERS, NOT_ALLOWED);
        const { id } = parseInput(idParams, request.params);
        parseInput(emptyBody, request.body ?? {});
        const result = await service.cancel(id, account.name);
        if (!result.ok) throw new ConsoleRefusal(result.reason === 'not_found' ? 404 : 409, result.reason === 'not_found' ? 'There is no such notice.' : 'Only an upcoming notice that is not cancelled can be cancelled.');
        return { notice: noticeView(result.notice) };
      });
    },
  };
}
