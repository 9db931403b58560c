import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Case, CasePriority } from '../core/case.js';
import { LotseError } from '../core/errors.js';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 08:30');

const poolSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and hyphens'),
  name: z.string().min(1),
  /** Languages the pool serves (ISO 639-1); none: any. */
  languages: z.array(z.string()).default([]),
  /** Countries the pool serves (ISO 3166-1 alpha-2); none: any. */
  countries: z.array(z.string().length(2)).default([]),
  /** Knowledge topics the pool serves; none: any. */
  topics: z.array(z.string()).default([]),
  /** The language the pool's advisors work in: with an LLM, messages are translated to and from it (default en). */
  advisorLanguage: z.string().default('en'),
  /** The Slack channel its cases are posted in (an id such as C0123, or a name). */
  slackChannel: z.string().optional(),
  /** Advisor ids (Slack user ids or console accounts) who are women: asked for by users who want a woman advisor. */
  women: z.array(z.string()).default([]),
  officeHours: z
    .object({ timezone: z.string().default('UTC'), days: z.array(z.number().int().min(1).max(7)).default([1, 2, 3, 4, 5]), from: time, to: time })
    .optional(),
  /** Minutes an unclaimed case may wait before the pool (and the supervisors) are reminded, by priority. */
  slaMinutes: z.object({ urgent: z.number().positive(), high: z.number().positive(), normal: z.number().positive() }).default({ urgent: 15, high: 240, normal: 1440 }),
  /** Minutes after which an unclaimed case is given up honestly: the user is told and offered other help. */
  maxWaitMinutes: z.number().positive().default(2880),
});

const fileSchema = z.object({
  /** Where SLA breaches are also announced (a Slack channel). */
  supervisorChannel: z.string().optional(),
  /** The pool of cases no other pool takes (default: the first). */
  defaultPool: z.string().optional(),
  pools: z.array(poolSchema).min(1),
});

export type Pool = z.infer<typeof poolSchema>;

/** The advisor pools and the rule that routes a case to one of them. */
export class PoolDirectory {
  readonly byId: Map<string, Pool>;

  constructor(
    readonly pools: Pool[],
    readonly defaultPool: string,
    readonly supervisorChannel?: string,
  ) {
    this.byId = new Map(pools.map((pool) => [pool.id, pool]));
  }

  /** From the pools file, or, without one, a single default pool in SLACK_ADVISOR_CHANNEL (or the console only). */
  static load(file: string | undefined, slackAdvisorChannel?: string): PoolDirectory {
    if (!file) {
      return new PoolDirectory([poolSchema.parse({ id: 'default', name: 'Advisors', slackChannel: slackAdvisorChannel })], 'default');
    }
    let raw: unknown;
    try {
      raw = parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new LotseError('CONFIG_INVALID', `Lotse cannot start: the advisor pools file ${file} cannot be read (${(cause as Error).message}).`, { hint: 'check ADVISOR_POOLS_FILE and the YAML in it', cause });
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
      throw new LotseError('CONFIG_INVALID', `Lotse cannot start: the advisor pools file ${file} is wrong.\n${problems}`, { hint: 'correct the file (see README, "Advisor pools")' });
    }
    const { pools, defaultPool, supervisorChannel } = parsed.data;
    const ids = new Set(pools.map((pool) => pool.id));
    if (ids.size !== pools.length) throw new LotseError('CONFIG_INVALID', `Lotse cannot start: two pools in ${file} have the same id.`, { hint: 'give every pool its own id' });
    if (defaultPool && !ids.has(defaultPool)) throw new LotseError('CONFIG_INVALID', `Lotse cannot start: defaultPool "${defaultPool}" is not a pool in ${file}.`, { hint: `use one of: ${[...ids].join(', ')}` });
    return new PoolDirectory(pools, defaultPool ?? pools[0]!.id, supervisorChannel ?? undefined);
  }

  get(id: string): Pool {
    return this.byId.get(id) ?? this.byId.get(this.defaultPool)!;
  }

  /**
   * The pool that fits a case best: every condition a pool states (language, country, topic) must
   * hold; among those, the one stating the most wins (so the Tunis team beats "all Arabic").
   * A user who wants a woman advisor goes to a fitting pool that has one, where there is such a pool.
   */
  route(c: Pick<Case, 'language' | 'country' | 'topic' | 'wantsWoman'>): { pool: Pool; womanAvailable: boolean } {
    const fits = (pool: Pool) =>
      (pool.languages.length === 0 || pool.languages.includes(c.language)) &&
      (pool.countries.length === 0 || (c.country !== undefined && pool.countries.includes(c.country))) &&
      (pool.topics.length === 0 || (c.topic !== undefined && pool.topics.some((topic) => c.topic!.startsWith(topic))));
    const specificity = (pool: Pool) => Number(pool.languages.length > 0) + Number(pool.countries.length > 0) + Number(pool.topics.length > 0);
    const candidates = this.pools.filter(fits).sort((a, b) => specificity(b) - specificity(a));
    if (c.wantsWoman) {
      const withWoman = candidates.find((pool) => pool.women.length > 0);
      if (withWoman) return { pool: withWoman, womanAvailable: true };
    }
    const pool = candidates[0] ?? this.get(this.defaultPool);
    return { pool, womanAvailable: pool.women.length > 0 };
  }

  /** The SLA target of a case, in minutes. */
  slaMinutes(poolId: string, priority: CasePriority): number {
    return this.get(poolId).slaMinutes[priority];
  }

  /** Whether a pool is in office hours at a time (always, without office hours). */
  isOpen(poolId: string, at: Date): boolean {
    const hours = this.get(poolId).officeHours;
    if (!hours) return true;
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: hours.timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
    const now = `${get('hour')}:${get('minute')}`;
    return hours.days.includes(day) && now >= hours.from && now < hours.to;
  }
}
