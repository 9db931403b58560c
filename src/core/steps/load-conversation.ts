import { isLanguage, type Language } from '../knowledge.js';
import { conversationKey } from '../message.js';
import { newConversation } from '../conversation.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

/** Loads the user's conversation, or starts one in the language of the first message. */
export function loadConversationStep(deps: PipelineDeps): Step<TurnContext> {
  return async function loadConversation(ctx, next) {
    const { channel, userId, localeHint } = ctx.message;
    const key = conversationKey(channel, userId);
    const existing = await deps.conversations.get(key);
    if (existing) {
      ctx.conversation = existing;
    } else {
      const hint = localeHint?.slice(0, 2).toLowerCase();
      const fallback: Language = isLanguage(hint) ? hint : 'en';
      // A greeting alone ("Bonjour", "Assalamu alaikum") is too short to detect, but it says its language when only one has it.
      const greetingIn = ctx.text ? deps.translator.languagesOfWord('commandWords.greeting', ctx.text) : [];
      const language = greetingIn.length === 1 ? greetingIn[0]! : ctx.text ? deps.languages.detect(ctx.text, fallback).language : fallback;
      ctx.conversation = newConversation(key, channel, userId, language, ctx.now.toISOString());
    }
    await next();
  };
}
