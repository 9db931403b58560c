import { z } from 'zod';
import { CASE_OUTCOMES } from '../../../core/case.js';
import { MAX_TEXT_LENGTH } from '../../../core/message.js';
import { poolIdSchema } from './accounts.js';

/**
 * What the console's JSON API takes. Unknown fields are refused rather than ignored, so a client
 * that sends something else learns at once; every refusal is a 400 with a short reason.
 */
export const signInSchema = z.strictObject({
  name: z.string().trim().toLowerCase().min(1, 'give your name').max(40, 'no advisor has so long a name'),
  password: z.string().min(1, 'give your password').max(256, 'no password is so long'),
});

/** Claim, release, sign-out: an empty JSON object (a form on another site cannot send JSON). */
export const emptySchema = z.strictObject({});

export const transferSchema = z.strictObject({ toPool: poolIdSchema });

/** Hand-over to a colleague: their account name. */
export const handOverSchema = z.strictObject({ to: z.string().regex(/^[a-z0-9._-]{1,64}$/i, 'an advisor account name') });

export const resolveSchema = z.strictObject({
  outcome: z.enum(CASE_OUTCOMES as [string, ...string[]], `one of ${CASE_OUTCOMES.join(', ')}`),
});

export const replySchema = z.strictObject({
  text: z.string().trim().min(1, 'write a reply').max(MAX_TEXT_LENGTH, `at most ${MAX_TEXT_LENGTH} characters`),
  /** The page's id of this reply: sending it twice (a retry after a lost answer) sends it once. */
  messageId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, '8-64 letters, digits or hyphens'),
});

export const caseParamsSchema = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/, 'not a case id') });

export const eventsQuerySchema = z.strictObject({ after: z.string().regex(/^\d{1,20}-\d{1,20}$/, 'an event id such as 1700000000000-0').optional() });

/** A short reason for a refused body, naming the fields at fault. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ')
    .slice(0, 300);
}

/** The passage search: what to look for, and the user's language (passages in it rank first). */
export const passageQuerySchema = z.object({
  q: z.string().trim().min(1, 'write what to look for').max(500, 'at most 500 characters'),
  lang: z.string().regex(/^[a-z]{2}$/, 'a two-letter language code').optional(),
});

/** A file of a case's message: the case and the event that carries it. */
export const mediaParamsSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/, 'not a case id'),
  eventId: z.string().regex(/^\d{1,20}-\d{1,10}$/, 'an event id'),
});
