/**
 * Every Redis key of the WhatsApp Web transport, in one place so that erasure and export
 * (user-data.ts) and the tests know them all. Keys that name a user carry the user id as Lotse knows it (the number's
 * digits, or `lid:<digits>`), never anything the user wrote.
 */
export function waWebKeys(prefix: string) {
  return {
    /** Which replica drives the linked number (client-lock.ts). */
    lock: `${prefix}wa:web:lock`,
    /** Sends waiting for the replica that holds the client (outbound.ts); each request expires with its deadline. */
    outbox: `${prefix}wa:web:outbox`,
    /** The holder's answer to one relayed send. */
    sent: (requestId: string) => `${prefix}wa:web:sent:${requestId}`,
    /** The actions offered to a user as numbered lines, in order (inbound.ts reads a number back). */
    options: (userId: string) => `${prefix}wa:web:options:${userId}`,
    /** A message's file, downloaded at arrival (media.ts); `ref` is `<userId>:<message id>`. */
    media: (ref: string) => `${prefix}wa:web:media:${ref}`,
    /** A message already taken in: whatsapp-web.js emits messages again after a reconnect. */
    seen: (ref: string) => `${prefix}wa:web:seen:${ref}`,
  };
}

/** What the transport keeps per user for this long: choices, files, duplicate markers. */
export const DAY_SECONDS = 86_400;
