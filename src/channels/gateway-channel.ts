import type { FastifyInstance } from 'fastify';
import type { ChannelAdapter } from '../core/channel.js';

/** A channel as the gateway runs it: the core's adapter port, plus the HTTP routes it serves (webhooks, pages). */
export interface GatewayChannel extends ChannelAdapter {
  routes?(server: FastifyInstance): void;
  /** One line for the start-up banner: where and how the channel runs. */
  describe(): string;
}
