import type { NoticeProfile } from '../notices.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';
import { recogniseNoticeRequest } from './notice-phrases.js';

/** The profile a subscription mirrors, as the conversation has it now. */
function profileOf(ctx: TurnContext): NoticeProfile {
  const { language, profile } = ctx.conversation;
  return { language, country: profile.country, audience: profile.audience };
}

/**
 * "Notify me about job fairs and trainings" and "stop notices", in any of the ten languages, for
 * users who have agreed to the privacy notice (the step runs after consent). The web chat cannot
 * reach anyone later: there the answer says that notices need Telegram or WhatsApp. A bare "stop"
 * ends the notices of a subscriber who is talking with Lotse itself (no advisor, no question
 * pending); for anyone else it goes on as an ordinary message.
 */
export function noticeRequestsStep(deps: PipelineDeps): Step<TurnContext> {
  return async function noticeRequests(ctx, next) {
    const store = deps.notices;
    const request = store && !ctx.message.action ? recogniseNoticeRequest(ctx.text, deps.translator) : undefined;
    if (!store || !request) return next();
    const conversation = ctx.conversation;
    const t = (key: string) => deps.translator.t(ctx.language, key);
    const supported = store.supports(ctx.message.channel);
    if (request === 'stop') {
      if (!supported || conversation.state !== 'bot' || conversation.pending || !(await store.get(conversation.key))) return next();
    }
    if (!supported) return ctx.reply(t('notices.unsupported'));
    if (request === 'subscribe') {
      const existing = await store.get(conversation.key);
      const profile = profileOf(ctx);
      await store.subscribe({ conversationKey: conversation.key, channel: ctx.message.channel, userId: ctx.message.userId, ...profile }, ctx.now);
      conversation.noticeSubscriber = true;
      const hint = profile.country && profile.audience ? '' : `\n\n${t('notices.profileHint')}`;
      return ctx.reply(`${t(existing ? 'notices.alreadySubscribed' : 'notices.subscribed')}${hint}`);
    }
    const ended = await store.unsubscribe(conversation.key);
    conversation.noticeSubscriber = undefined;
    return ctx.reply(t(ended ? 'notices.unsubscribed' : 'notices.notSubscribed'));
  };
}

/**
 * Keeps a subscriber's language, country and audience in step with their conversation: after the
 * turn (and its save), when the profile differs from what the subscription holds. A failure fails
 * the turn, which is then repeated; the comparison is with the store, so the repeat catches up.
 */
export function noticeProfileStep(deps: PipelineDeps): Step<TurnContext> {
  return async function noticeProfile(ctx, next) {
    await next();
    const store = deps.notices;
    const conversation = ctx.conversation;
    if (!store || !conversation?.noticeSubscriber || ctx.result.erased || conversation.consent.status !== 'given') return;
    const subscription = await store.get(conversation.key);
    if (!subscription) return;
    const now = profileOf(ctx);
    if (subscription.language === now.language && subscription.country === now.country && subscription.audience === now.audience) return;
    await store.update(conversation.key, now);
  };
}
