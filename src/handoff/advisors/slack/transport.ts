import type { Case, CaseEvent } from '../../../core/case.js';
import type { AdvisorTransport, HandoffApi } from '../../handoff-api.js';
import { callSlack, slackErrorCode, type WebClient } from './client.js';
import { advisorLabel, cut, escapeMrkdwn, renderCase, renderChannelNotice, renderReminder } from './render.js';

/** A thread message's text limit with room to spare (Slack cuts at 40,000). */
const THREAD_TEXT_LIMIT = 12_000;

type SlackRef = { channel: string; ts: string };

/** The user's message, with its translation into the advisors' language when there is one. */
function userLine(text: string, media: string | undefined, translation: string | undefined): string {
  const original = `:speech_balloon: *User:* ${escapeMrkdwn(text)}${media ? ` _(${escapeMrkdwn(media)})_` : ''}`;
  return translation ? `${original}\n:globe_with_meridians: _Translation:_ ${escapeMrkdwn(translation)}` : original;
}

/** What the user read when Lotse translated an advisor's message for them. */
const sentAs = (c: Case, translation: string | undefined) => (translation ? `\n_Sent to the user in ${escapeMrkdwn(c.language)}:_ ${escapeMrkdwn(translation)}` : '');

export interface SlackTransportOptions {
  /** The channel of a pool that names none (SLACK_ADVISOR_CHANNEL); without it such pools are console-only. */
  advisorChannel?: string;
  /** The clock for reminders (tests). */
  now?: () => Date;
}

/**
 * Shows cases to advisors in Slack: a message per case in its pool's channel, kept up to date with
 * chat.update; the user's messages and Lotse's answers in the case's thread; SLA reminders in the
 * pool's channel and the supervisors'; what the user's channel limits (WhatsApp's 24-hour window)
 * in the thread. Called by the sender through a lane per case, so events of a
 * case come in order. A Slack failure throws (RateLimitedError, PermanentSendError, or a plain error
 * to retry), so that the lane retries it.
 *
 * Idempotency: the case message is posted once (a case with a Slack ref is updated instead), and
 * updates re-render the case as it is now, so repeating one changes nothing. A thread post repeated
 * after a crash between the post and the lane's record shows twice: at least once, never lost.
 */
export class SlackAdvisorTransport implements AdvisorTransport {
  readonly name = 'slack';

  constructor(
    private readonly client: WebClient,
    private readonly handoff: HandoffApi,
    private readonly options: SlackTransportOptions = {},
  ) {}

  /** `c` is the case as it is now (the notice worker reads it before each event), so every update renders the current state. */
  async notify(c: Case, event: CaseEvent): Promise<void> {
    switch (event.type) {
      case 'opened':
        await this.ensurePosted(c);
        return;
      case 'user_message':
        await this.postInThread(c, userLine(event.text, event.media?.kind, event.translation));
        return;
      case 'bot_answer':
        await this.postInThread(c, `:robot_face: *Lotse answered:* ${escapeMrkdwn(event.text)}`);
        return;
      case 'advisor_message':
        // A Slack advisor's reply is already in the thread (they wrote it there): only what the user
        // got instead, when it was translated, is added. One from the console is shown whole.
        if (event.advisor.via !== 'slack') await this.postInThread(c, `:bust_in_silhouette: *${advisorLabel(event.advisor)}* (console): ${escapeMrkdwn(event.text)}${sentAs(c, event.translation)}`);
        else if (event.translation) await this.postInThread(c, `:outbox_tray:${sentAs(c, event.translation)}`);
        return;
      case 'claimed':
      case 'handed_over':
      case 'released':
      case 'resolved':
      case 'cancelled':
        await this.refresh(c);
        return;
      case 'transferred':
        await this.moved(c, event.toPool);
        return;
      case 'sla_reminder':
        await this.remind(c, event.step);
        return;
      case 'raised':
        await this.refresh(c);
        await this.postInThread(c, `:rotating_light: *Raised to urgent:* the user wrote about danger${event.danger ? ` (${event.danger.replace(/_/g, ' ')})` : ''}. The emergency contacts were sent to them.`);
        return;
      case 'channel_notice':
        await this.postInThread(c, renderChannelNotice(event.notice));
        return;
    }
  }

  /** The Slack channel of a case's pool; none when the pool is the console's alone. */
  private channelFor(c: Case): string | undefined {
    return this.handoff.pools.get(c.pool).slackChannel ?? this.options.advisorChannel;
  }

  private render(c: Case, movedTo?: string) {
    return renderCase(c, { poolName: this.handoff.pools.get(c.pool).name, movedTo });
  }

  /** The case's message, posted (and recorded with the case, so that thread replies find it) if it is not yet. */
  private async ensurePosted(c: Case): Promise<SlackRef | undefined> {
    if (c.slack) return c.slack;
    return this.post(c);
  }

  private async post(c: Case): Promise<SlackRef | undefined> {
    const channel = this.channelFor(c);
    if (!channel) return undefined;
    const { text, blocks } = this.render(c);
    const posted = await callSlack('chat.postMessage', () => this.client.chat.postMessage({ channel, text, blocks, unfurl_links: false, unfurl_media: false }));
    if (!posted.ts) throw new Error('Slack chat.postMessage answered without a ts');
    // Slack answers with the channel's id even when it was given by name: thread replies carry the id.
    const ref = { channel: posted.channel ?? channel, ts: posted.ts };
    await this.handoff.attachSlack(c.id, ref);
    return ref;
  }

  /** Re-renders the case message as the case is now; a message someone deleted is posted again. */
  private async refresh(c: Case): Promise<void> {
    if (!c.slack) {
      await this.post(c);
      return;
    }
    const { text, blocks } = this.render(c);
    try {
      await callSlack('chat.update', () => this.client.chat.update({ channel: c.slack!.channel, ts: c.slack!.ts, text, blocks }));
    } catch (error) {
      if (slackErrorCode((error as Error).cause) !== 'message_not_found') throw error;
      await this.post(c);
    }
  }

  /** A transfer: the case appears in the new pool's channel; the old message says where it went. */
  private async moved(c: Case, toPool: string): Promise<void> {
    const channel = this.channelFor(c);
    const old = c.slack;
    if (old && old.channel === channel) {
      await this.refresh(c);
      return;
    }
    if (old) {
      const { text, blocks } = this.render(c, this.handoff.pools.get(toPool).name);
      await callSlack('chat.update', () => this.client.chat.update({ channel: old.channel, ts: old.ts, text, blocks })).catch((error: unknown) => {
        // The old message being gone does not stop the case from reaching its new pool.
        if (slackErrorCode((error as Error).cause) !== 'message_not_found') throw error;
      });
    }
    await this.post(c);
  }

  private async postInThread(c: Case, text: string): Promise<void> {
    const ref = await this.ensurePosted(c);
    if (!ref) return;
    await callSlack('chat.postMessage', () => this.client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text: cut(text, THREAD_TEXT_LIMIT), unfurl_links: false, unfurl_media: false }));
  }

  /** Reminds the pool (in the case's thread, shown in the channel too) and the supervisors; a case taken meanwhile is not nagged about. */
  private async remind(c: Case, step: number): Promise<void> {
    if (c.status !== 'open') return;
    const text = renderReminder(c, step, this.options.now?.());
    const ref = await this.ensurePosted(c);
    if (ref) await callSlack('chat.postMessage', () => this.client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, reply_broadcast: true, text }));
    const supervisors = this.handoff.pools.supervisorChannel;
    if (!supervisors || supervisors === ref?.channel) return;
    // A link to the case for the supervisors; the reminder still goes out without one.
    const link = ref ? await this.client.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts }).then((answer) => answer.permalink, () => undefined) : undefined;
    const pool = escapeMrkdwn(this.handoff.pools.get(c.pool).name);
    await callSlack('chat.postMessage', () =>
      this.client.chat.postMessage({ channel: supervisors, text: `${text} Pool: ${pool}.${link ? ` <${link}|Open the case>` : ''}`, unfurl_links: false }),
    );
  }
}
