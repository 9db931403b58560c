import { z } from 'zod';
import type { InboundMessage } from '../../core/message.js';

/** What the page posts. The session is a random id the browser keeps; it is the web chat's user id. */
export const webMessageSchema = z.object({
  session: z.string().regex(/^[A-Za-z0-9-]{16,64}$/, 'session must be 16-64 letters, digits or hyphens'),
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'id must be 1-64 letters, digits or hyphens'),
  text: z.string().max(2000, 'a message may have at most 2000 characters').default(''),
  action: z.string().max(64).optional(),
  lang: z.string().max(35).optional(),
});

export type WebMessage = z.infer<typeof webMessageSchema>;

export function toInboundMessage(body: WebMessage): InboundMessage {
  return {
    id: `web:${body.session}:${body.id}`,
    channel: 'web',
    userId: body.session,
    kind: 'text',
    text: body.text,
    action: body.action,
    receivedAt: new Date().toISOString(),
    localeHint: body.lang,
  };
}
