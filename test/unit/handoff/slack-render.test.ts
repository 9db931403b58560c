import { describe, expect, it } from 'vitest';
import type { Case } from '../../../src/core/case.js';
import { CASE_ACTION, caseIdFromBlockId, renderCase, renderChannelNotice, renderReminder } from '../../../src/handoff/advisors/slack/render.js';

const base: Case = {
  id: 'c-1',
  conversationKey: 'telegram:42',
  channel: 'telegram',
  userId: '42',
  priority: 'urgent',
  language: 'ar',
  country: 'TN',
  reason: 'safety',
  brief: 'The user says their employer keeps their passport. <!channel> & more',
  status: 'open',
  pool: 'tunis',
  createdAt: '2026-03-02T10:00:00.000Z',
};

type Block = { type: string; block_id?: string; text?: { text: string }; fields?: { text: string }[]; elements?: { type: string; action_id?: string; value?: string; options?: { value: string }[] }[] };
const blocksOf = (c: Case, options = {}) => renderCase(c, options).blocks as unknown as Block[];
const allText = (blocks: Block[]) => JSON.stringify(blocks);
const actions = (blocks: Block[]) => blocks.find((block) => block.type === 'actions');

describe('the case message (Block Kit)', () => {
  it('shows the brief, language, country, priority, reason, pool and status', () => {
    const blocks = blocksOf(base, { poolName: 'Tunis team' });
    expect(blocks[0]!.type).toBe('header');
    expect(blocks[0]!.text!.text).toContain('Urgent');
    expect(blocks[0]!.text!.text).toContain('safety concern');
    const text = allText(blocks);
    expect(text).toContain('employer keeps their passport');
    expect(text).toContain('Arabic (ar)');
    expect(text).toContain('Tunisia (TN)');
    expect(text).toContain('*Priority*');
    expect(text).toContain('*Reason*');
    expect(text).toContain('Tunis team');
    expect(text).toContain('Waiting for an advisor');
  });

  it('names the kind of danger of a safety case in the headline and the reason', () => {
    const blocks = blocksOf({ ...base, danger: 'forced_marriage' });
    expect(blocks[0]!.text!.text).toContain('safety concern: forced marriage');
    expect(allText(blocks)).toContain('*Reason*\\nsafety concern: forced marriage');
  });

  it('escapes what users wrote, so a brief cannot mention @channel or forge a link', () => {
    const text = allText(blocksOf(base));
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt; &amp; more');
  });

  it('offers Claim and a resolve select with the outcomes while open; the block names the case', () => {
    const controls = actions(blocksOf(base))!;
    expect(caseIdFromBlockId(controls.block_id)).toBe('c-1');
    expect(controls.elements!.map((e) => e.action_id)).toEqual([CASE_ACTION.claim, CASE_ACTION.resolve]);
    expect(controls.elements![0]).toMatchObject({ type: 'button', value: 'c-1' });
    expect(controls.elements![1]!.type).toBe('static_select');
    expect(controls.elements![1]!.options!.map((o) => o.value)).toEqual(['answered', 'referred', 'no_show', 'other']);
  });

  it('shows who holds a claimed case and offers Release instead of Claim', () => {
    const claimed: Case = { ...base, status: 'claimed', claimedBy: { id: 'UANNA', name: 'Anna', via: 'slack' } };
    const blocks = blocksOf(claimed);
    expect(allText(blocks)).toContain('Held by* Anna (<@UANNA>)');
    expect(actions(blocks)!.elements!.map((e) => e.action_id)).toEqual([CASE_ACTION.release, CASE_ACTION.resolve]);
    expect(renderCase(claimed).text).toContain('held by Anna');
  });

  it('shows how a resolved case ended, without controls', () => {
    const resolved: Case = { ...base, status: 'resolved', claimedBy: { id: 'UANNA', name: 'Anna', via: 'slack' }, outcome: 'referred' };
    const blocks = blocksOf(resolved);
    expect(allText(blocks)).toContain('Resolved* by Anna');
    expect(allText(blocks)).toContain('Referred elsewhere');
    expect(actions(blocks)).toBeUndefined();
    expect(actions(blocksOf({ ...base, status: 'cancelled' }))).toBeUndefined();
  });

  it('leaves a moved case as a pointer to its new pool, without controls', () => {
    const blocks = blocksOf(base, { movedTo: 'Berlin team' });
    expect(allText(blocks)).toContain('Moved to *Berlin team*');
    expect(actions(blocks)).toBeUndefined();
  });

  it('includes the structured brief when there is one, and keeps every section within Slack\'s limits', () => {
    const long: Case = {
      ...base,
      brief: 'x'.repeat(5000),
      details: { asked: ['Can I work in Germany as a nurse?'], answered: 'Recognition is needed first.', sources: [{ title: 'Anerkennung', url: 'https://www.anerkennung-in-deutschland.de/' }], facts: { country: 'TN' }, open: 'Which state?' },
    };
    const blocks = blocksOf(long);
    const text = allText(blocks);
    expect(text).toContain('Can I work in Germany as a nurse?');
    expect(text).toContain('<https://www.anerkennung-in-deutschland.de/|Anerkennung>');
    expect(text).toContain('*Still open:* Which state?');
    for (const block of blocks) if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    expect(renderCase(long).text.length).toBeLessThanOrEqual(3500);
  });

  it('words a reminder with the waiting time', () => {
    expect(renderReminder(base, 2, new Date('2026-03-02T10:20:00.000Z'))).toContain('Reminder 2: this urgent case (safety concern, ar, TN) has waited 20 minutes');
  });
});

describe('a channel notice in the case thread (WhatsApp’s 24-hour window)', () => {
  it('warns with the closing time in UTC, and says what happens after', () => {
    expect(renderChannelNotice({ kind: 'window_closing', closesAt: '2026-03-02T14:05:59.000+01:00' })).toBe(
      ':hourglass_flowing_sand: *WhatsApp:* the 24-hour window for free replies closes at 13:05 (UTC) — reply before then; afterwards only an approved template reaches the user.',
    );
  });

  it('says the window has closed, and whether the user was sent the template', () => {
    expect(renderChannelNotice({ kind: 'window_closed', template: true })).toBe(':no_entry: *WhatsApp:* the 24-hour window has closed. Your replies wait until the user writes again; the user was sent the approved template.');
    expect(renderChannelNotice({ kind: 'window_closed', template: false })).toBe(':no_entry: *WhatsApp:* the 24-hour window has closed. Your replies wait until the user writes again; no template is configured, so the user was not told.');
  });

  it('shows a closing time it cannot read as it came, escaped', () => {
    expect(renderChannelNotice({ kind: 'window_closing', closesAt: '<!channel>' })).toContain('closes at &lt;!channel&gt; (UTC)');
  });
});
