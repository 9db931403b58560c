import { z } from 'zod';

/**
 * The parts of a Cloud API webhook body that Lotse reads, checked before anything touches them.
 * Fields Lotse does not read are left unchecked and dropped, so Meta can add fields; message types
 * Lotse has no field for (reaction, contacts, order, unsupported, ...) parse with just their `type`
 * and become messages of kind "other". Changes of other fields (template status, account updates)
 * are not read at all.
 */

/** Unix seconds; Meta sends them as a string. A larger one would make an invalid Date. */
const MAX_UNIX_SECONDS = 2 ** 32 - 1;
const timestamp = z
  .union([z.string().regex(/^\d{1,10}$/).transform(Number), z.int().min(0)])
  .pipe(z.int().max(MAX_UNIX_SECONDS));

/** A wa_id: the sender's number in international form, digits only. */
const waId = z.string().regex(/^\+?\d{5,20}$/, 'expected a phone number in international form');

/** Media ids are numeric at Meta; the bound keeps a forged one out of a Graph API path. */
const mediaId = z.string().regex(/^[A-Za-z0-9_.-]{1,256}$/, 'expected a media id');

const media = z.object({ id: mediaId, mime_type: z.string().max(255).optional(), caption: z.string().optional() });

/** A pressed reply button or list row: its id is the action Lotse gave it. */
const choice = z.object({ id: z.string().min(1).max(256), title: z.string().max(256).optional() });

const message = z.object({
  from: waId,
  /** The wamid: printable ASCII, the dedupe key of a redelivered webhook. */
  id: z.string().regex(/^[\x21-\x7e]{1,512}$/, 'expected a message id'),
  timestamp,
  type: z.string().min(1).max(64),
  // No length bound: longer texts are cut (and marked truncated), not refused.
  text: z.object({ body: z.string() }).optional(),
  interactive: z.object({ type: z.string().max(64), button_reply: choice.optional(), list_reply: choice.optional() }).optional(),
  /** A template's quick-reply button. */
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  audio: media.optional(),
  image: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  video: media.optional(),
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
});

const status = z.object({
  status: z.string().max(32),
  errors: z.array(z.object({ code: z.int().optional() })).max(20).optional(),
});

const metadata = z.object({ phone_number_id: z.string().min(1).max(64) });

/** The value of a `messages` change: what users sent, and what became of what Lotse sent. */
export const messagesValueSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  metadata,
  contacts: z.array(z.object({ wa_id: z.string().max(32), profile: z.object({ name: z.string().optional() }).optional() })).max(1000).optional(),
  messages: z.array(message).max(1000).optional(),
  statuses: z.array(status).max(10_000).optional(),
});

export const webhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.object({ id: z.string().max(128), changes: z.array(z.object({ field: z.string().max(128), value: z.unknown() })).max(1000) })).max(1000),
});

export type MessagesValue = z.infer<typeof messagesValueSchema>;
export type CloudMessage = NonNullable<MessagesValue['messages']>[number];

export type ParsedWebhook = { ok: true; values: MessagesValue[] } | { ok: false; reason: string };

/** A signed but malformed webhook body: its reason names fields and expectations, never their content. */
export class WhatsAppWebhookInvalidError extends Error {
  readonly code = 'WHATSAPP_WEBHOOK_INVALID';

  constructor(readonly reason: string) {
    super(`malformed WhatsApp webhook refused: ${reason}`);
    this.name = 'WhatsAppWebhookInvalidError';
  }
}

function reasonOf(error: z.ZodError, prefix: (string | number)[] = []): string {
  // Paths come from the schema and messages from zod, so no value the sender chose ends up here.
  const reason = error.issues
    .slice(0, 3)
    .map((issue) => `${[...prefix, ...issue.path].map(String).join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  return reason.length > 300 ? `${reason.slice(0, 297)}...` : reason;
}

/**
 * Checks a webhook body; returns the `messages` changes meant for this phone number. A change for
 * another number of the same business account (one app may serve several) is skipped unchecked.
 */
export function parseWebhook(body: unknown, phoneNumberId: string): ParsedWebhook {
  const envelope = webhookSchema.safeParse(body);
  if (!envelope.success) return { ok: false, reason: reasonOf(envelope.error) };
  const values: MessagesValue[] = [];
  for (const [e, entry] of envelope.data.entry.entries()) {
    for (const [c, change] of entry.changes.entries()) {
      if (change.field !== 'messages') continue;
      const path = ['entry', e, 'changes', c, 'value'];
      const target = z.object({ metadata }).safeParse(change.value);
      if (!target.success) return { ok: false, reason: reasonOf(target.error, path) };
      if (target.data.metadata.phone_number_id !== phoneNumberId) continue;
      const value = messagesValueSchema.safeParse(change.value);
      if (!value.success) return { ok: false, reason: reasonOf(value.error, path) };
      values.push(value.data);
    }
  }
  return { ok: true, values };
}
