import cookie from '@fastify/cookie';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { CASE_OUTCOMES, type AdvisorRef, type CaseOutcome } from '../../../core/case.js';
import type { LinkStatus } from '../../../channels/registry.js';
import { OpenStreams } from '../../../channels/web/open-streams.js';
import type { Logger } from '../../../infra/logger.js';
import type { HandoffApi } from '../../handoff-api.js';
import type { PassageSearch } from '../../passage-search.js';
import type { MediaFetcher } from '../../../core/ports.js';
import { AdvisorAccounts, type AdvisorAccount } from './accounts.js';
import { caseParamsSchema, describeIssues, emptySchema, eventsQuerySchema, handOverSchema, mediaParamsSchema, passageQuerySchema, replySchema, resolveSchema, signInSchema, transferSchema } from './api-schemas.js';
import { NO_SUCH_CASE, NOT_YOUR_POOL, actionAnswer, caseView } from './case-view.js';
import { CONSOLE_PAGE } from './console-page.js';
import { CONSOLE_SCRIPT } from './console-script.js';
import { CONSOLE_STYLES } from './console-styles.js';
import { CSRF_HEADER, csrfTokenMatches, isCrossSite } from './csrf.js';
import { UpdateStream, type CaseEventFeed } from './live-updates.js';
import { verifyPassword } from './passwords.js';
import { ConsoleRefusal, consoleErrorHandler } from './refusals.js';
import { setSecurityHeaders } from './security-headers.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie.js';
import { ConsoleSessions, DEFAULT_SESSION_POLICY, type ConsoleSession, type SessionPolicy } from './sessions.js';
import { DEFAULT_SIGN_IN_LIMITS, SignInLimits, type SignInLimitSettings } from './sign-in-limits.js';
import { WHATSAPP_ADMINS_ONLY, WHATSAPP_DISABLED, WHATSAPP_SCRIPT, linkAnswer, whatsappLinkPage } from './whatsapp-link.js';
import { messagePage } from './page-frame.js';
import type { ConsoleAccess, ConsoleExtension } from './console-extensions.js';

export interface AdvisorConsoleDeps {
  handoff: HandoffApi;
  /** For accounts, sessions and rate counters. */
  redis: Redis;
  /** New case events (RedisCaseEventFeed on `<prefix>case-events`). */
  updates: CaseEventFeed;
  /** Lotse's key prefix (default "lotse:"). */
  prefix?: string;
  /** Sign-ins and refusals are logged without names, addresses or tokens. */
  logger?: Logger;
  /** The knowledge search behind "insert a passage" (none: the search box says it is unavailable). */
  passages?: PassageSearch;
  /** Fetch what users sent (photos, documents, voice notes) from their channel, for the advisor to open. */
  mediaFetchers?: MediaFetcher[];
  /** The state of a number linked through whatsapp-web.js, for the admins' linking page (none: the page answers 404). */
  whatsappLink?: () => LinkStatus;
  /** Pages beyond the queue (queue dashboard, statistics, event notices), inside the console's scope and sign-in. */
  extensions?: ConsoleExtension[];
}

export interface AdvisorConsoleOptions {
  sessionPolicy?: SessionPolicy;
  signInLimits?: Partial<SignInLimitSettings>;
  /** API requests per address and window (default 600 a minute), across processes. */
  apiRateLimit?: { perAddress: number; windowMs: number };
  /** Milliseconds between an update stream's keep-alive and session check (default 25 000). */
  heartbeatMs?: number;
  /** Update streams per session (default 4) and per process (default 500). */
  maxStreamsPerSession?: number;
  maxStreams?: number;
  /** Largest request body (default 32 KiB: a reply of 4000 characters in any script fits). */
  maxBodyBytes?: number;
  /** The clock of session expiry (tests shorten time). */
  now?: () => number;
}

/** Who is asking, once the session is checked. */
interface SignedIn {
  id: string;
  session: ConsoleSession;
  account: AdvisorAccount;
  advisor: AdvisorRef;
}

const SESSION_ENDED = 'Your session has ended. Please sign in again.';
const WRONG = 'The name or the password is wrong.';
/** Requests the page makes by itself (timers, live updates): they do not count as the advisor being active. */
const AUTOMATIC_HEADER = 'x-console-auto';

/**
 * The web advisor console at /advisor, for centres without Slack: sign-in with console accounts,
 * the queues of the advisor's pools (and no other), a case with its brief and history, and the
 * actions claim, release, transfer, resolve and reply. Every read and action checks the case's
 * pool against the advisor's pools on the server; the page only shows what the API gave it.
 */
export class AdvisorConsole {
  readonly accounts: AdvisorAccounts;
  readonly sessions: ConsoleSessions;
  readonly signInLimits: SignInLimits;
  private readonly streams: OpenStreams;
  private readonly prefix: string;
  private readonly settings: { heartbeatMs: number; maxBodyBytes: number; apiRateLimit: { perAddress: number; windowMs: number } };

  constructor(
    private readonly deps: AdvisorConsoleDeps,
    options: AdvisorConsoleOptions = {},
  ) {
    this.prefix = deps.prefix ?? 'lotse:';
    this.accounts = new AdvisorAccounts(deps.redis, this.prefix);
    this.sessions = new ConsoleSessions(deps.redis, this.prefix, options.sessionPolicy ?? DEFAULT_SESSION_POLICY, options.now);
    this.signInLimits = new SignInLimits(deps.redis, this.prefix, { ...DEFAULT_SIGN_IN_LIMITS, ...options.signInLimits });
    this.streams = new OpenStreams(options.maxStreamsPerSession ?? 4, options.maxStreams ?? 500);
    this.settings = {
      heartbeatMs: options.heartbeatMs ?? 25_000,
      maxBodyBytes: options.maxBodyBytes ?? 32_768,
      apiRateLimit: options.apiRateLimit ?? { perAddress: 600, windowMs: 60_000 },
    };
  }

  describe(): string {
    return 'Advisor console: /advisor (accounts: npm run advisor -- add|remove|list)';
  }

  /** Ends the open update streams (the server can then close). */
  stop(): void {
    this.streams.signalAll('close');
  }

  routes(server: FastifyInstance): void {
    // Its own scope: cookie, rate limit, headers and error handler stay with the console.
    void server.register(async (scope) => {
      if (!scope.hasRequestDecorator('cookies')) await scope.register(cookie);
      scope.setErrorHandler(consoleErrorHandler);
      scope.addHook('onSend', async (_request, reply, payload) => {
        setSecurityHeaders(reply);
        return payload;
      });
      scope.get('/advisor', async (_request, reply) => reply.type('text/html; charset=utf-8').send(CONSOLE_PAGE));
      scope.get('/advisor/', async (_request, reply) => reply.redirect('/advisor'));
      // The page's script and styles: from routes, so that the CSP needs no 'unsafe-inline'.
      scope.get('/advisor/console.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(CONSOLE_SCRIPT));
      scope.get('/advisor/console.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(CONSOLE_STYLES));
      scope.get('/advisor/whatsapp.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(WHATSAPP_SCRIPT));
      await scope.register(async (api) => this.api(api));
    });
  }

  private async api(api: FastifyInstance): Promise<void> {
    const redis = this.deps.redis;
    await api.register(rateLimit, {
      global: true,
      redis,
      nameSpace: `${this.prefix}console:rate:`,
      timeWindow: this.settings.apiRateLimit.windowMs,
      max: this.settings.apiRateLimit.perAddress,
      keyGenerator: (request) => normalizeIP(request.ip),
      skipOnError: true,
      // Without Redis nothing works anyway; the request then fails on its own, quickly.
      allowList: () => redis.status !== 'ready',
      errorResponseBuilder: (_request, context) => new ConsoleRefusal(429, `Too many requests from this address. Please wait ${context.after}.`),
    });
    const bodyLimit = this.settings.maxBodyBytes;

    api.get('/advisor/api/session', async (request) => this.whoAmI(await this.signedIn(request, false)));
    api.post('/advisor/api/sign-in', { bodyLimit }, (request, reply) => this.signIn(request, reply));
    api.post('/advisor/api/sign-out', { bodyLimit }, (request, reply) => this.signOut(request, reply));

    api.get('/advisor/api/cases', async (request) => {
      const who = await this.signedIn(request, true);
      const cases = await this.deps.handoff.list(who.account.pools);
      // The service lists by the pools asked for; checked again, so that no other pool's case is ever sent.
      return { cases: cases.filter((c) => who.account.pools.includes(c.pool)).map(caseView) };
    });
    api.get('/advisor/api/cases/:id', async (request) => {
      const who = await this.signedIn(request, true);
      const c = await this.readableCase(request, who);
      return { case: caseView(c), events: await this.deps.handoff.events(c.id) };
    });
    // A file the user sent, fetched from their channel when the advisor opens it (nothing is stored).
    api.get('/advisor/api/cases/:id/media/:eventId', async (request, reply) => {
      const who = await this.signedIn(request, true);
      const c = await this.readableCase(request, who, mediaParamsSchema);
      const { eventId } = parse(mediaParamsSchema, request.params);
      const event = (await this.deps.handoff.events(c.id)).find((e) => e.id === eventId);
      const media = event?.type === 'user_message' ? event.media : undefined;
      const fetcher = this.deps.mediaFetchers?.find((f) => f.channel === c.channel);
      if (!media?.ref) throw new ConsoleRefusal(404, 'This message has no file.');
      if (!fetcher) throw new ConsoleRefusal(503, 'Files from this channel cannot be opened here.');
      const file = await fetcher.fetch(media.ref).catch(() => {
        throw new ConsoleRefusal(502, 'The file could not be fetched from the channel. Please try again.');
      });
      const name = file.fileName.replace(/[^\w.-]/g, '_') || 'file';
      // Always a download, never rendered in the console's origin: a user's file is untrusted content.
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(file.data));
    });
    api.get('/advisor/api/cases/:id/events', async (request) => {
      const who = await this.signedIn(request, true);
      const query = parse(eventsQuerySchema, request.query);
      const c = await this.readableCase(request, who);
      return { case: caseView(c), events: await this.deps.handoff.events(c.id, query.after) };
    });

    const action = (name: string, run: (request: FastifyRequest, who: SignedIn, caseId: string) => Promise<ReturnType<typeof actionAnswer>>) =>
      api.post(`/advisor/api/cases/:id/${name}`, { bodyLimit }, async (request) => {
        const who = await this.changing(request);
        return run(request, who, parse(caseParamsSchema, request.params).id);
      });
    const { handoff } = this.deps;
    action('claim', async (request, who, id) => {
      parse(emptySchema, request.body);
      return actionAnswer(await handoff.claim(id, who.advisor, who.account.pools));
    });
    action('release', async (request, who, id) => {
      parse(emptySchema, request.body);
      return actionAnswer(await handoff.release(id, who.advisor, who.account.pools));
    });
    action('transfer', async (request, who, id) => {
      const { toPool } = parse(transferSchema, request.body);
      if (!handoff.pools.byId.has(toPool)) throw new ConsoleRefusal(400, `toPool: no pool "${toPool}"`);
      return actionAnswer(await handoff.transfer(id, who.advisor, toPool, who.account.pools));
    });
    action('hand-over', async (request, who, id) => {
      const { to } = parse(handOverSchema, request.body);
      const colleague = await this.accounts.get(to);
      const c = await handoff.get(id);
      // Only to a colleague of the case's own pool: the case must stay visible to whoever holds it.
      if (!colleague || !c || !colleague.pools.includes(c.pool)) throw new ConsoleRefusal(400, 'to: not an advisor of this case\'s pool');
      return actionAnswer(await handoff.handOver(id, who.advisor, advisorRef(colleague), who.account.pools));
    });
    api.get('/advisor/api/cases/:id/colleagues', async (request) => {
      const who = await this.signedIn(request, true);
      const c = await this.readableCase(request, who);
      const colleagues = (await this.accounts.list()).filter((a) => a.pools.includes(c.pool) && a.name !== who.account.name);
      return { colleagues: colleagues.map((a) => ({ name: a.name, displayName: a.displayName })) };
    });
    action('resolve', async (request, who, id) => {
      const { outcome } = parse(resolveSchema, request.body);
      return actionAnswer(await handoff.resolve(id, who.advisor, outcome as CaseOutcome, who.account.pools));
    });
    action('reply', async (request, who, id) => {
      const { text, messageId } = parse(replySchema, request.body);
      // Namespaced by advisor, so that one advisor's message id can never suppress another's message.
      return actionAnswer(await handoff.reply(id, who.advisor, text, `console:${who.account.name}:${messageId}`, who.account.pools));
    });

    api.get('/advisor/api/passages', async (request) => {
      await this.signedIn(request, true);
      const { q, lang } = parse(passageQuerySchema, request.query);
      if (!this.deps.passages) throw new ConsoleRefusal(503, 'The knowledge search is not available in this process.');
      // The same retrieval as the bot's answers: each hit comes with its source and as-of date.
      return { passages: await this.deps.passages.search(q, lang) };
    });

    api.get('/advisor/api/updates', (request, reply) => this.streamUpdates(request, reply));

    // Linking a WhatsApp number (whatsapp-web.js): a page for a person (HTML refusals, sign-in
    // first), and the same state as JSON for its script. Under the rate limit: each draws a QR code.
    api.get('/advisor/whatsapp', async (request, reply) => {
      try {
        const link = this.whatsappLinkFor(await this.signedIn(request, true));
        return reply.type('text/html; charset=utf-8').send(whatsappLinkPage(await linkAnswer(link())));
      } catch (error) {
        if (!(error instanceof ConsoleRefusal)) throw error;
        if (error.statusCode === 401) return reply.redirect('/advisor', 303);
        const title = error.statusCode === 403 ? 'Not allowed' : 'Not available';
        return reply.code(error.statusCode).type('text/html; charset=utf-8').send(messagePage(title, error.message));
      }
    });
    api.get('/advisor/api/whatsapp', async (request) => linkAnswer(this.whatsappLinkFor(await this.signedIn(request, true))()));

    const access: ConsoleAccess = {
      signedIn: async (request, activity = true) => (await this.signedIn(request, activity)).account,
      changing: async (request) => (await this.changing(request)).account,
      csrfToken: async (request) => (await this.signedIn(request, false)).session.csrf,
    };
    for (const extension of this.deps.extensions ?? []) await extension.routes(api, access);
  }

  /** The linked number's state, for admins alone (the code links a phone to Lotse); 404 when WhatsApp Web is off. */
  private whatsappLinkFor(who: SignedIn): () => LinkStatus {
    if (!this.deps.whatsappLink) throw new ConsoleRefusal(404, WHATSAPP_DISABLED);
    if (who.account.role !== 'admin') throw new ConsoleRefusal(403, WHATSAPP_ADMINS_ONLY);
    return this.deps.whatsappLink;
  }

  private whoAmI(who: SignedIn) {
    const { account } = who;
    const poolName = (id: string) => this.deps.handoff.pools.byId.get(id)?.name ?? id;
    return {
      advisor: { name: account.name, displayName: account.displayName, role: account.role, woman: account.woman, pools: account.pools.map((id) => ({ id, name: poolName(id) })) },
      csrfToken: who.session.csrf,
      /** Where a case may be transferred to: every pool (the advisor need not belong to it). */
      pools: this.deps.handoff.pools.pools.map((pool) => ({ id: pool.id, name: pool.name })),
      outcomes: CASE_OUTCOMES,
      /** The header's links to the pages this account's role may open. */
      links: (this.deps.extensions ?? []).flatMap(({ link }) => (link && link.roles.includes(account.role) ? [{ href: link.href, label: link.label }] : [])),
      /** Whether the header links to the WhatsApp linking page (admins, with WhatsApp Web on). */
      whatsappLink: account.role === 'admin' && this.deps.whatsappLink !== undefined,
    };
  }

  private async signIn(request: FastifyRequest, reply: FastifyReply) {
    if (isCrossSite(request.headers)) throw new ConsoleRefusal(403, 'Sign in from the console page itself.');
    const { name, password } = parse(signInSchema, request.body);
    const allowed = await this.signInLimits.attempt(name, normalizeIP(request.ip));
    if (!allowed.ok) {
      this.deps.logger?.warn({ event: 'console-sign-in', outcome: 'rate-limited' }, 'advisor console sign-in refused');
      const minutes = Math.ceil(allowed.retryAfterSeconds / 60);
      throw new ConsoleRefusal(429, `Too many sign-in attempts. Please wait ${minutes} minute${minutes === 1 ? '' : 's'}.`, { 'retry-after': String(allowed.retryAfterSeconds) });
    }
    const stored = await this.accounts.find(name);
    // An unknown name costs a hash too, so that timing does not tell which names exist.
    if (!(await verifyPassword(stored?.passwordHash, password)) || !stored) {
      this.deps.logger?.info({ event: 'console-sign-in', outcome: 'wrong' }, 'advisor console sign-in failed');
      throw new ConsoleRefusal(401, WRONG);
    }
    await this.signInLimits.succeeded(name);
    // A fresh id at every sign-in, and the one the browser came with ended: no session fixation.
    await this.sessions.end(readSessionCookie(request));
    const { id, session } = await this.sessions.create(stored.name);
    setSessionCookie(request, reply, id, this.sessions.policy.absoluteMs);
    this.deps.logger?.info({ event: 'console-sign-in', outcome: 'ok' }, 'advisor signed in to the console');
    const { passwordHash: _hash, ...account } = stored;
    return this.whoAmI({ id, session, account, advisor: advisorRef(account) });
  }

  private async signOut(request: FastifyRequest, reply: FastifyReply) {
    parse(emptySchema, request.body);
    const id = readSessionCookie(request);
    const session = await this.sessions.read(id);
    if (session) {
      if (isCrossSite(request.headers) || !csrfTokenMatches(session.csrf, request.headers[CSRF_HEADER])) throw new ConsoleRefusal(403, 'The page is out of date. Please reload it.');
      await this.sessions.end(id);
      this.streams.signal(id!, 'close');
    }
    clearSessionCookie(request, reply);
    return reply.code(204).send();
  }

  /** The session and its account; 401 without one. `activity` renews the idle time (not for automatic requests). */
  private async signedIn(request: FastifyRequest, activity: boolean): Promise<SignedIn> {
    const id = readSessionCookie(request);
    const session = await this.sessions.read(id);
    if (!id || !session) throw new ConsoleRefusal(401, SESSION_ENDED);
    // Read at every request: pools changed or the account removed take effect at once.
    const account = await this.accounts.get(session.account);
    if (!account) {
      await this.sessions.end(id);
      throw new ConsoleRefusal(401, SESSION_ENDED);
    }
    if (activity && request.headers[AUTOMATIC_HEADER] !== '1') await this.sessions.touch(id, session);
    return { id, session, account, advisor: advisorRef(account) };
  }

  /** A state-changing request: from this site, signed in, with the session's CSRF token. */
  private async changing(request: FastifyRequest): Promise<SignedIn> {
    if (isCrossSite(request.headers)) throw new ConsoleRefusal(403, 'The request did not come from the console page.');
    const who = await this.signedIn(request, true);
    if (!csrfTokenMatches(who.session.csrf, request.headers[CSRF_HEADER])) throw new ConsoleRefusal(403, 'The page is out of date (no valid CSRF token). Please reload it.');
    return who;
  }

  /** The case, if it is in the advisor's pools: 404 when there is none, 403 when it is another pool's. */
  private async readableCase(request: FastifyRequest, who: SignedIn, params: z.ZodType<{ id: string }> = caseParamsSchema) {
    const { id } = parse(params, request.params);
    const c = await this.deps.handoff.get(id);
    if (!c) throw new ConsoleRefusal(404, NO_SUCH_CASE);
    if (!who.account.pools.includes(c.pool)) throw new ConsoleRefusal(403, NOT_YOUR_POOL);
    return c;
  }

  private async streamUpdates(request: FastifyRequest, reply: FastifyReply) {
    const who = await this.signedIn(request, false);
    const stillSignedIn = async () => (await this.sessions.read(who.id)) !== undefined && (await this.accounts.get(who.account.name)) !== undefined;
    const stream = new UpdateStream(reply.raw, who.account.pools, this.settings.heartbeatMs, stillSignedIn);
    const opened = this.streams.open(who.id, (signal) => signal === 'close' && stream.end());
    if (!opened.ok) throw new ConsoleRefusal(429, opened.reason === 'session' ? 'The console is open in too many windows. Please close one and reload.' : 'The console is very busy. Please reload in a minute.');
    reply.hijack();
    const unsubscribe = this.deps.updates.subscribe((notice) => stream.notice(notice));
    const close = () => {
      unsubscribe();
      opened.close();
    };
    reply.raw.on('close', close);
    // Security headers are set by onSend, which a hijacked reply skips: the stream carries ids only, but set them anyway.
    setSecurityHeaders(reply);
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value as string);
    if (reply.raw.destroyed || request.raw.socket?.destroyed) {
      close();
      return stream.end();
    }
    stream.start();
  }
}

const advisorRef = (account: AdvisorAccount): AdvisorRef => ({ id: account.name, name: account.displayName, via: 'console' });

/** Parses with a zod schema; a mismatch is a 400 with the short reason. */
function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ConsoleRefusal(400, describeIssues(parsed.error));
  return parsed.data;
}
