import type { ChannelSender } from '../core/channel.js';
import type { OutboundMessage } from '../core/message.js';
import type { Metrics } from '../infra/metrics.js';
import { channelLabel } from './metric-labels.js';
import { sendErrorKind } from './send-errors.js';

/**
 * A channel's sender that counts what it does: each platform message sent, each failed call by
 * kind of error, and, when the first part of a turn's first reply goes out, the time since the
 * message it answers arrived. Everything else is the sender's own (limits, parts, typing).
 */
export function countingSender(sender: ChannelSender, metrics: Metrics, now: () => number = Date.now): ChannelSender {
  const channel = channelLabel(sender.channel);
  const counted: ChannelSender = {
    channel: sender.channel,
    limits: sender.limits,
    async send(reply: OutboundMessage, part: number): Promise<void> {
      try {
        await sender.send(reply, part);
      } catch (error) {
        metrics.sendFailures.inc({ channel, error: sendErrorKind(error) });
        throw error;
      }
      metrics.outbound.inc({ channel });
      const arrived = part === 0 && reply.inboundReceivedAt ? Date.parse(reply.inboundReceivedAt) : NaN;
      if (Number.isFinite(arrived)) metrics.replyLatency.observe({ channel }, Math.max(0, now() - arrived) / 1000);
    },
  };
  if (sender.partCount) counted.partCount = (reply) => sender.partCount!(reply);
  if (sender.typing) counted.typing = (userId) => sender.typing!(userId);
  return counted;
}
