import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkSlackSignature } from './signature.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface FastifyReceiverOptions {
  signingSecret: string;
  /** Errors Bolt could not hand to a listener, and listeners' errors: logged by the caller, never thrown at Fastify. */
  onError: (error: unknown) => void;
  /** The clock for the signature's age (tests). */
  now?: () => number;
}

type Parsed = { ok: true; body: Record<string, unknown> } | { ok: false };

/** The body as Slack sends it: JSON for the Events API, a form with a JSON `payload` for interactions, a plain form for slash commands. */
function parseBody(raw: Buffer, contentType: string | undefined): Parsed {
  try {
    const text = raw.toString('utf8');
    if ((contentType ?? '').includes('application/json')) {
      const body: unknown = JSON.parse(text);
      return body && typeof body === 'object' && !Array.isArray(body) ? { ok: true, body: body as Record<string, unknown> } : { ok: false };
    }
    const form = new URLSearchParams(text);
    const payload = form.get('payload');
    if (payload !== null) {
      const body: unknown = JSON.parse(payload);
      return body && typeof body === 'object' && !Array.isArray(body) ? { ok: true, body: body as Record<string, unknown> } : { ok: false };
    }
    return { ok: true, body: Object.fromEntries(form) };
  } catch {
    return { ok: false };
  }
}

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Bolt's receiver on Lotse's Fastify server (no Express, no second port): POST /slack/events takes
 * events, button clicks and selects, checks the signature over the raw body (401 and nothing done
 * otherwise), and hands the body to Bolt with an ack that answers the request. The answer goes out
 * as soon as a listener acks (they ack first, then work), well within Slack's 3 seconds.
 */
export class FastifyReceiver implements Receiver {
  private app?: App;

  constructor(private readonly options: FastifyReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  /** Fastify owns listening; Bolt's start and stop have nothing to do. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  routes(server: FastifyInstance): void {
    // In a scope of its own: the raw-body parser applies to this route only, not to the web chat's JSON.
    void server.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      scope.post(SLACK_EVENTS_PATH, (request, reply) => this.handle(request, reply));
    });
  }

  private async handle(request: FastifyRequest, reply: FastifyReply) {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const check = checkSlackSignature(
      this.options.signingSecret,
      { signature: request.headers['x-slack-signature'], timestamp: request.headers['x-slack-request-timestamp'], rawBody },
      this.options.now?.(),
    );
    if (!check.ok) return reply.code(401).send({ ok: false, error: `invalid signature (${check.reason})` });
    const parsed = parseBody(rawBody, header(request, 'content-type'));
    if (!parsed.ok) return reply.code(400).send({ ok: false, error: 'not a Slack request body' });
    const body = parsed.body;
    // Slack checks the endpoint when it is configured; and its certificate checks need only a 200.
    if (body.type === 'url_verification') return reply.code(200).send({ challenge: body.challenge });
    if (body.ssl_check !== undefined) return reply.code(200).send();
    if (!this.app) return reply.code(503).send({ ok: false, error: 'Slack app not ready' });

    let acknowledge!: (response: unknown) => void;
    const acked = new Promise<{ response: unknown }>((resolve) => {
      let done = false;
      acknowledge = (response) => {
        if (done) return;
        done = true;
        resolve({ response });
      };
    });
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => acknowledge(response),
      retryNum: Number(header(request, 'x-slack-retry-num')) || undefined,
      retryReason: header(request, 'x-slack-retry-reason'),
    };
    // Bolt runs the listeners after the ack: the work goes on after the answer is sent.
    const processed = this.app.processEvent(event).then(
      () => ({ failed: false }),
      (error: unknown) => {
        this.options.onError(error);
        return { failed: true };
      },
    );
    const outcome = await Promise.race([acked, processed]);
    if ('response' in outcome) {
      const { response } = outcome;
      if (response === undefined || response === '') return reply.code(200).send();
      return typeof response === 'string' ? reply.code(200).type('text/plain').send(response) : reply.code(200).send(response);
    }
    // Nothing acked: no listener for it (200, so Slack does not resend it), or Bolt failed before one ran (500, so it does).
    return outcome.failed ? reply.code(500).send({ ok: false }) : reply.code(200).send();
  }
}
