import { z } from 'zod';

/**
 * The parts of a Telegram update that Lotse reads, checked before anything touches them. Fields
 * Lotse does not read are left unchecked and dropped, so Telegram can add fields, and update
 * kinds Lotse ignores (edited_message, my_chat_member, ...) parse to an update with neither
 * `message` nor `callback_query`.
 */

/** Telegram dates are 32-bit Unix seconds; a larger one would make an invalid Date. */
const MAX_UNIX_SECONDS = 2 ** 32 - 1;

/** Telegram's file ids are under 100 characters; the bound keeps a forged one out of the queue. */
const fileRef = z.object({ file_id: z.string().min(1).max(512), mime_type: z.string().max(255).optional() });

const chat = z.object({ id: z.int(), type: z.string().max(64) });

const user = z.object({ language_code: z.string().max(35).optional() });

const message = z.object({
  message_id: z.int().nonnegative(),
  date: z.int().min(0).max(MAX_UNIX_SECONDS),
  chat,
  from: user.optional(),
  // No length bound here: longer texts are cut (and marked truncated), not refused.
  text: z.string().optional(),
  caption: z.string().optional(),
  voice: fileRef.optional(),
  audio: fileRef.optional(),
  video_note: fileRef.optional(),
  photo: z.array(fileRef).optional(),
  document: fileRef.optional(),
  sticker: fileRef.optional(),
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
});

const callbackQuery = z.object({
  id: z.string().min(1).max(256),
  from: user,
  // Telegram allows 1-64 bytes of callback data; it is always one of Lotse's own button actions.
  data: z.string().max(64).optional(),
  // Absent for buttons under inline-mode messages, which Lotse does not send.
  message: z.object({ chat }).optional(),
});

export const telegramUpdateSchema = z.object({
  update_id: z.int().nonnegative(),
  message: message.optional(),
  callback_query: callbackQuery.optional(),
});

export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;

export type ParsedUpdate = { ok: true; update: TelegramUpdate } | { ok: false; reason: string };

/** A malformed but authenticated update: its reason names fields and expectations, never their content. */
export class TelegramUpdateInvalidError extends Error {
  readonly code = 'TELEGRAM_UPDATE_INVALID';

  constructor(readonly reason: string) {
    super(`malformed Telegram update skipped: ${reason}`);
    this.name = 'TelegramUpdateInvalidError';
  }
}

/** Checks a webhook body or polled update. The reason is short and safe to log and to answer with. */
export function parseTelegramUpdate(body: unknown): ParsedUpdate {
  const parsed = telegramUpdateSchema.safeParse(body);
  if (parsed.success) return { ok: true, update: parsed.data };
  // Paths come from the schema and messages from zod, so no value the sender chose ends up here.
  const reason = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'update'}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason: reason.length > 300 ? `${reason.slice(0, 297)}...` : reason };
}
