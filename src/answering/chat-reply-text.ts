import type { AIMessage } from '@langchain/core/messages';

/** The text of a chat model's reply, whether it came as a string or as content parts. */
export function chatReplyText(reply: AIMessage): string {
  const content = reply.content;
  return (typeof content === 'string' ? content : content.map((part) => ('text' in part ? part.text : '')).join('')).trim();
}
