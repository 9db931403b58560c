import { describe, expect, it } from 'vitest';
import { jobName, jobReturnValue, jobSummary } from '../../../src/operations/job-summaries.js';
import { failureSummary, redactedJob } from '../../../src/operations/redacted-jobs.js';
import { shortHash } from '../../../src/queue/lanes/lane-keys.js';

const PHONE = '4917012345678';
const hash = (id: string) => `h(${shortHash(`key:${id}`, 8)})`;

describe('job summaries (what the dashboard shows instead of job data)', () => {
  it('keeps the kind, the channel and keyed hashes, never a lane, user, case or text', () => {
    const wake = jobSummary('wake', 'inbound', { lane: `whatsapp:${PHONE}` }, hash);
    expect(wake).toEqual({ kind: 'wake', lanes: 'inbound', channel: 'whatsapp', conversation: hash(`whatsapp:${PHONE}`) });
    expect(jobSummary('wake', 'advisor-notices', { lane: 'c0ffee-case' }, hash)).toEqual({ kind: 'wake', lanes: 'advisor-notices', case: hash('c0ffee-case') });
    expect(jobSummary('typing', 'typing', { typing: { channel: 'telegram', userId: '770012345', at: 0 } }, hash)).toEqual({ kind: 'typing', channel: 'telegram', conversation: hash('telegram:770012345'), askedAt: '1970-01-01T00:00:00.000Z' });
    expect(jobSummary('sla', 'handoff-sla', { caseId: 'c1', step: 2 }, hash)).toEqual({ kind: 'sla', case: hash('c1'), step: 2 });
    expect(jobSummary('notice', 'event-notices', { noticeId: 'n1', kind: 'reminder' }, hash)).toEqual({ kind: 'notice', notice: hash('n1'), sending: 'reminder' });
    // A shape nobody expected: only how many fields it has.
    expect(jobSummary('wake', 'inbound', { text: 'Ich heiße Amira', userId: PHONE }, hash)).toEqual({ kind: 'unknown', fields: 2 });
    expect(jobSummary('wake', 'inbound', `whatsapp:${PHONE}`, hash)).toEqual({ kind: 'unknown', fields: 0 });
  });

  it('shows only Lotse’s own job names and return values', () => {
    expect(jobName('wake')).toBe('wake');
    expect(jobName(`typing-${PHONE}`)).toBe('job');
    expect(jobReturnValue('reminded')).toBe('reminded');
    expect(jobReturnValue({ text: 'Ich heiße Amira' })).toBe('(hidden)');
    expect(jobReturnValue(undefined)).toBeUndefined();
  });

  it('summarises failure reasons from a fixed list, and keeps stack frames without their message', () => {
    expect(failureSummary('job stalled more than allowable limit')).toMatch(/^stalled/);
    expect(failureSummary('Connection is closed.')).toBe('Redis was unavailable');
    expect(failureSummary(`could not reach Amira at +${PHONE}`)).toMatch(/^failed \(the reason is in the server log/);
    const job = redactedJob(
      {
        id: `x-${shortHash(`whatsapp:${PHONE}`)}-1796116187`,
        name: 'wake',
        failedReason: `could not reach Amira at +${PHONE}`,
        stacktrace: [`Error: could not reach Amira at +${PHONE}\n    at process (file:///app/dist/queue/lanes/lane-worker.js:12:3)`],
        opts: { attempts: 20, jobId: `x-${shortHash(`whatsapp:${PHONE}`)}`, deduplication: { id: PHONE } },
        processedBy: 'worker-1',
        deduplicationId: PHONE,
        data: { kind: 'wake' },
        returnValue: null,
        attempts: 1,
        isFailed: true,
      },
      (id) => `sealed(${id.length})`,
    );
    const shown = JSON.stringify(job);
    expect(shown).not.toContain(PHONE);
    expect(shown).not.toContain(shortHash(`whatsapp:${PHONE}`));
    expect(shown).not.toContain('Amira');
    expect(job.opts).toEqual({ attempts: 20 });
    expect(job.stacktrace).toEqual([`${failureSummary('x')}\n    at process (file:///app/dist/queue/lanes/lane-worker.js:12:3)`]);
  });
});
