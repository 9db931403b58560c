import { z } from 'zod';
import { cutText, type InboundMessage } from '../../core/message.js';

/**
 * What the page posts. The session is not in it: the server takes it from the cookie. Unknown
 * fields are refused rather than ignored, so a client that still sends a session id learns at once.
 * The text has no length limit here: a long one is cut (and the user told), not refused.
 */
export const webMessageSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'id must be 1-64 letters, digits or hyphens'),
  text: z.string().default(''),
  action: z.string().min(1).max(64).optional(),
  lang: z.string().max(35).optional(),
});

/** POST /chat/session takes an empty JSON object: a form from another site cannot send JSON. */
export const webSessionSchema = z.strictObject({});

export type WebMessage = z.infer<typeof webMessageSchema>;

/** A short reason for a refused body, naming the fields at fault. */
export function describeIssues(error: z.ZodError): string {
  const reasons = error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  return reasons.join('; ').slice(0, 300);
}

/**
 * The browser's language (navigator.language), a hint only: kept when it reads as a language
 * tag, dropped otherwise rather than refusing the message (some web views say "en_US").
 */
function languageHint(lang: string | undefined): string | undefined {
  const tag = lang?.replace(/_/g, '-');
  return tag && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : undefined;
}

export function toInboundMessage(session: string, body: WebMessage): InboundMessage {
  const { text, truncated } = cutText(body.text);
  return {
    id: `web:${session}:${body.id}`,
    channel: 'web',
    userId: session,
    kind: 'text',
    text,
    action: body.action,
    receivedAt: new Date().toISOString(),
    localeHint: languageHint(body.lang),
    ...(truncated ? { truncated } : {}),
  };
}
