import type { DocumentMeta } from '../core/knowledge.js';
import { escapeHtml, frame } from '../handoff/advisors/console/page-frame.js';
import { dayChart } from './statistics-charts.js';
import { valueLabel } from './statistics-labels.js';
import type { CountRow, GroupView, StatisticsReport, TableName } from './statistics-report.js';

/** The periods offered besides a range of dates. */
export const PERIODS = [7, 30, 90] as const;

const count = (n: number) => n.toLocaleString('en');

/** Minutes as a person reads them: "4.5 min", "2 h 5 min", "3 d 2 h". */
export function minutesText(minutes: number | null, atLeast = false): string {
  if (minutes === null) return '–';
  let text: string;
  if (minutes < 59.95) text = `${Math.round(minutes * 10) / 10} min`;
  else if (minutes < 1439.5) {
    const whole = Math.round(minutes);
    text = `${Math.floor(whole / 60)} h${whole % 60 ? ` ${whole % 60} min` : ''}`;
  } else {
    const hours = Math.round(minutes / 60);
    text = `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
  }
  return atLeast ? `more than ${text}` : text;
}

const percent = (part: number, whole: number) => (whole > 0 ? ` (${Math.round((part / whole) * 100)} %)` : '');

function totals(report: StatisticsReport): string {
  const t = report.totals;
  const cell = (id: string, label: string, value: string, note = '') =>
    `<div class="total" id="total-${id}"><dt>${escapeHtml(label)}</dt><dd><span class="value">${escapeHtml(value)}</span>${note ? ` <span class="muted">${escapeHtml(note)}</span>` : ''}</dd></div>`;
  return `<dl class="totals">
${cell('started', 'Conversations started', count(t.started))}
${cell('active', 'Active conversations', count(t.active), 'conversation-days')}
${cell('questions', 'Questions', count(t.questions))}
${cell('answered', 'Answered', count(t.answered), percent(t.answered, t.questions).trim())}
${cell('unanswered', 'Not answerable', count(t.unanswered), percent(t.unanswered, t.questions).trim())}
${cell('escalations', 'Escalations', count(t.escalations))}
${cell('cases', 'Cases opened', count(t.cases))}
${cell('wait-median', 'Median wait', minutesText(t.waits.medianMinutes, t.waits.medianAtLeast), `${count(t.waits.claimed)} claimed`)}
${cell('wait-p90', '90 % waited at most', minutesText(t.waits.p90Minutes, t.waits.p90AtLeast))}
${cell('sla', 'Past the SLA', count(t.slaBreaches), 'cases unclaimed in time')}
</dl>`;
}

function charts(report: StatisticsReport): string {
  const days = report.daily.map((row) => row.day);
  const values = (pick: (row: StatisticsReport['daily'][number]) => number | null) => report.daily.map(pick);
  return [
    dayChart({
      id: 'chart-conversations',
      title: 'Conversations per day',
      days,
      layout: 'grouped',
      series: [
        { name: 'Active', className: 's0', values: values((row) => row.active) },
        { name: 'Started', className: 's1', values: values((row) => row.started) },
      ],
    }),
    dayChart({
      id: 'chart-questions',
      title: 'Questions per day, by what became of them',
      days,
      layout: 'stacked',
      series: [
        { name: valueLabel('question', 'answered'), className: 's0', values: values((row) => row.answered) },
        { name: valueLabel('question', 'unanswered'), className: 's2', values: values((row) => row.unanswered) },
        { name: valueLabel('question', 'escalated'), className: 's3', values: values((row) => row.escalated) },
      ],
    }),
    dayChart({
      id: 'chart-escalations',
      title: 'Escalations and cases per day',
      days,
      layout: 'grouped',
      series: [
        { name: 'Escalations', className: 's3', values: values((row) => row.escalations) },
        { name: 'Cases opened', className: 's1', values: values((row) => row.cases) },
        { name: 'Past the SLA', className: 's2', values: values((row) => row.slaBreaches) },
      ],
    }),
    dayChart({
      id: 'chart-waits',
      title: 'Waiting time until an advisor took the case, per day (minutes)',
      days,
      layout: 'grouped',
      format: (minutes) => `${Math.round(minutes * 10) / 10} min`,
      series: [
        { name: 'Median', className: 's0', values: values((row) => row.waitMedianMinutes) },
        { name: '90th percentile', className: 's3', values: values((row) => row.waitP90Minutes) },
      ],
    }),
  ].join('\n');
}

const TABLE_TITLES: Record<TableName, [title: string, unit: string]> = {
  channels: ['Channels', 'Conversation-days'],
  languages: ['Languages', 'Conversation-days'],
  countries: ['Countries of origin', 'Conversation-days'],
  audiences: ['Going or returned', 'Conversation-days'],
  topics: ['Topics asked about', 'Questions'],
  sources: ['Sources used in answers', 'Answers'],
  escalationReasons: ['Escalations by reason', 'Escalations'],
  dangerKinds: ['Safety escalations by kind of danger', 'Escalations'],
  outcomes: ['Case outcomes', 'Cases'],
};

function countTable(name: TableName, rows: CountRow[], note = ''): string {
  const [title, unit] = TABLE_TITLES[name];
  const body = rows.length === 0 ? `<tr><td colspan="2" class="muted">None in this period.</td></tr>` : rows.map((row) => `<tr data-key="${escapeHtml(row.key)}"><th scope="row">${escapeHtml(row.label)}</th><td>${count(row.count)}</td></tr>`).join('');
  return `<section class="table-card" id="table-${name}" aria-labelledby="table-${name}-title">
<h3 id="table-${name}-title">${escapeHtml(title)}</h3>
<div class="table-wrap"><table><thead><tr><th scope="col">${name === 'sources' ? 'Document' : 'Which'}</th><th scope="col">${escapeHtml(unit)}</th></tr></thead><tbody>${body}</tbody></table></div>
${note ? `<p class="muted note">${escapeHtml(note)}</p>` : ''}
</section>`;
}

function waitTable(report: StatisticsReport): string {
  const w = report.totals.waits;
  return `<section class="table-card" id="table-waits" aria-labelledby="table-waits-title">
<h3 id="table-waits-title">Waiting times</h3>
<div class="table-wrap"><table><tbody>
<tr><th scope="row">Cases claimed</th><td>${count(w.claimed)}</td></tr>
<tr><th scope="row">Median</th><td>${escapeHtml(minutesText(w.medianMinutes, w.medianAtLeast))}</td></tr>
<tr><th scope="row">90th percentile</th><td>${escapeHtml(minutesText(w.p90Minutes, w.p90AtLeast))}</td></tr>
<tr><th scope="row">Mean</th><td>${escapeHtml(minutesText(w.meanMinutes))}</td></tr>
</tbody></table></div>
<p class="muted note">From the case opening to its first claim. Median and percentile are estimated from time bands (within the band's width).</p>
</section>`;
}

function tables(report: StatisticsReport): string {
  const hidden = report.smallCounts.countriesHidden;
  const countryNote = `Countries with fewer than ${report.smallCounts.threshold} conversation-days in the period are counted together, not named${hidden > 0 ? ` (${hidden} here)` : ''}.`;
  return (Object.keys(TABLE_TITLES) as TableName[])
    .map((name) => countTable(name, report.tables[name], name === 'countries' ? countryNote : name === 'sources' ? 'The documents the answers cited.' : ''))
    .concat(waitTable(report))
    .join('\n');
}

function linkStatus(group: GroupView): string {
  if (!group.link) return 'Not covered by a document yet.';
  const since = group.link.askedSince > 0 ? ` ${count(group.link.askedSince)} asked since.` : '';
  return `Covered by “${group.link.title}” (linked ${group.link.at.slice(0, 10)} by ${group.link.by}).${since}`;
}

function groupView(group: GroupView): string {
  const id = escapeHtml(group.id);
  const languages = group.languages.map(({ language, count: n }) => `${valueLabel('language', language)} (${n})`).join(', ');
  const more = group.more.length > 0 ? `<ul class="examples">${group.more.map((text) => `<li dir="auto">${escapeHtml(text)}</li>`).join('')}</ul>` : '';
  return `<li class="group${group.link ? ' linked' : ''}" id="group-${id}" data-group="${id}">
<blockquote dir="auto" class="example">${escapeHtml(group.example)}</blockquote>
<p class="muted">${count(group.count)} question${group.count === 1 ? '' : 's'} from ${count(group.conversations)} conversation${group.conversations === 1 ? '' : 's'} · ${escapeHtml(languages)} · last asked ${escapeHtml(group.lastAt.slice(0, 10))}</p>
${more}
<p class="covered" id="covered-${id}" role="status">${escapeHtml(linkStatus(group))}</p>
<form class="link-form" data-group="${id}" data-questions="${escapeHtml(group.questionIds.join(' '))}">
<label for="document-${id}">Knowledge document that answers these</label>
<div class="inline"><input id="document-${id}" name="document" list="statistics-documents" autocomplete="off" required maxlength="200" placeholder="document id, e.g. en-opportunity-card">
<button type="submit">Link document</button>
<button type="button" class="unlink"${group.link ? '' : ' hidden'}>Remove link</button></div>
<p class="error" role="alert"></p>
</form>
</li>`;
}

function unanswered(report: StatisticsReport): string {
  const u = report.unanswered;
  const intro =
    u.total === 0
      ? 'No question went unanswered in this period.'
      : `${count(u.total)} question${u.total === 1 ? '' : 's'} the knowledge base could not answer, in ${count(u.groups.length)} group${u.groups.length === 1 ? '' : 's'} of similar questions${u.grouped < u.total ? ` (the latest ${count(u.grouped)} grouped)` : ''}. Phone numbers, e-mail addresses, document numbers, handles and the names Lotse recognises (after “my name is”, “my brother”, a title and the like, and common given names) are shown as [phone], [name] and so on; about one name in five can remain, most often an unusual or declined name with no such words around it. Questions are kept for the retention period.`;
  return `<section id="unanswered" aria-labelledby="unanswered-title">
<h2 id="unanswered-title">Questions the knowledge base could not answer</h2>
<p>${escapeHtml(intro)} Link a document once the knowledge answers a group: the link stays with its questions, and the page shows how many were asked since.</p>
<ol class="groups">${u.groups.map(groupView).join('\n')}</ol>
</section>`;
}

function rangeForm(report: StatisticsReport, period: number | undefined): string {
  const options = PERIODS.map((days) => `<option value="${days}"${period === days ? ' selected' : ''}>Last ${days} days</option>`).join('');
  return `<form class="range" method="get" action="/advisor/statistics" aria-label="Days to show">
<div class="field"><label for="range-days">Period</label>
<select id="range-days" name="days">${options}<option value=""${period === undefined ? ' selected' : ''}>From … to …</option></select></div>
<div class="field"><label for="range-from">From</label><input id="range-from" name="from" type="date" value="${period === undefined ? escapeHtml(report.from) : ''}"></div>
<div class="field"><label for="range-to">To</label><input id="range-to" name="to" type="date" value="${period === undefined ? escapeHtml(report.to) : ''}"></div>
<button type="submit" class="primary">Show</button>
</form>`;
}

/** The statistics page: everything drawn on the server; its script only links documents to groups. */
export function statisticsPage(report: StatisticsReport, documents: readonly DocumentMeta[], options: { csrf: string; period?: number }): string {
  const query = options.period ? `days=${options.period}` : `from=${report.from}&to=${report.to}`;
  const datalist = [...documents]
    .sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id))
    .map((meta) => `<option value="${escapeHtml(meta.id)}">${escapeHtml(`${meta.title} (${meta.language})`)}</option>`)
    .join('');
  const body = `<link rel="stylesheet" href="/advisor/statistics.css">
<div id="statistics" data-csrf="${escapeHtml(options.csrf)}">
<h2>Statistics</h2>
<p class="muted">Conversations with people who agreed to the privacy notice, counted per UTC day: no names, numbers or messages, except the redacted questions below. ${escapeHtml(report.from)} to ${escapeHtml(report.to)} (${report.days} day${report.days === 1 ? '' : 's'}).</p>
${rangeForm(report, options.period)}
<p><a id="csv-download" href="/advisor/statistics.csv?${escapeHtml(query)}" download>Download as CSV</a> <span class="muted">(one row per day, metric and value)</span></p>
<section id="totals" aria-labelledby="totals-title"><h2 id="totals-title">Totals</h2>${totals(report)}</section>
<section id="charts" aria-labelledby="charts-title"><h2 id="charts-title">Per day</h2>${charts(report)}</section>
<section id="tables" aria-labelledby="tables-title"><h2 id="tables-title">In detail</h2><div class="tables">${tables(report)}</div></section>
${unanswered(report)}
<datalist id="statistics-documents">${datalist}</datalist>
</div>`;
  return frame('Statistics', body, '/advisor/statistics.js');
}
