import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type { SourceRef } from '../core/answer.js';
import type { SourceLabels } from '../core/message.js';

/**
 * How a messaging channel writes inline formatting. Messaging channels have no tables and no
 * nested blocks: lists become lines with "•" or "1.", tables become lists, headings bold lines.
 */
export interface InlineSyntax {
  /** Plain text as the channel needs it escaped. */
  text(text: string): string;
  bold(inner: string): string;
  italic(inner: string): string;
  strike(inner: string): string;
  code(text: string): string;
  /** A link; `label` is already rendered. Only http(s) addresses reach it. */
  link(label: string, href: string): string;
}

/** The reply Markdown parser: raw HTML off (it shows as text), hard line breaks kept, tables on. */
export const markdown = new MarkdownIt({ html: false, linkify: false, breaks: true });

const SAFE_LINK = /^https?:\/\//i;

function renderInline(tokens: Token[] | null, syntax: InlineSyntax): string {
  let out = '';
  const stack: { kind: string; start: number; href?: string }[] = [];
  const close = (kind: string, wrap: (inner: string) => string) => {
    const open = stack.pop();
    if (!open || open.kind !== kind) return;
    out = out.slice(0, open.start) + wrap(out.slice(open.start));
  };
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'text':
        out += syntax.text(token.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'code_inline':
        out += syntax.code(token.content);
        break;
      case 'strong_open':
      case 'em_open':
      case 's_open':
        stack.push({ kind: token.type.replace('_open', ''), start: out.length });
        break;
      case 'strong_close':
        close('strong', syntax.bold);
        break;
      case 'em_close':
        close('em', syntax.italic);
        break;
      case 's_close':
        close('s', syntax.strike);
        break;
      case 'link_open':
        stack.push({ kind: 'link', start: out.length, href: token.attrGet('href') ?? '' });
        break;
      case 'link_close': {
        const href = stack.at(-1)?.href ?? '';
        close('link', (label) => (SAFE_LINK.test(href) ? syntax.link(label, href) : label));
        break;
      }
      case 'image':
        out += syntax.text(token.content);
        break;
      default:
        out += syntax.text(token.content ?? '');
    }
  }
  return out;
}

/** Markdown as the lines of a messaging channel, in its inline syntax. */
export function renderForMessaging(source: string, syntax: InlineSyntax): string {
  const tokens = markdown.parse(source, {});
  const blocks: string[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  let item: string[] | undefined;
  const listLines: string[] = [];
  let heading = false;
  let table: { header: string[]; row: string[]; rows: string[]; inHead: boolean } | undefined;
  const emit = (line: string) => {
    if (item) item.push(line);
    else blocks.push(line);
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: token.type === 'ordered_list_open', n: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        // A list's items are one block: no blank line between them.
        if (lists.length === 0 && listLines.length) blocks.push(listLines.splice(0).join('\n'));
        break;
      case 'list_item_open':
        item = [];
        break;
      case 'list_item_close': {
        const list = lists.at(-1)!;
        const marker = list.ordered ? `${list.n++}.` : '•';
        const indent = '  '.repeat(Math.max(0, lists.length - 1));
        listLines.push(`${indent}${marker} ${(item ?? []).join('\n')}`);
        item = undefined;
        break;
      }
      case 'heading_open':
        heading = true;
        break;
      case 'heading_close':
        heading = false;
        break;
      case 'table_open':
        table = { header: [], row: [], rows: [], inHead: false };
        break;
      case 'thead_open':
        table!.inHead = true;
        break;
      case 'thead_close':
        table!.inHead = false;
        break;
      case 'tr_open':
        table!.row = [];
        break;
      case 'tr_close':
        if (table && !table.inHead) {
          const [first, ...rest] = table.row;
          const described = rest.map((cell, i) => (table!.header[i + 1] ? `${table!.header[i + 1]}: ${cell}` : cell));
          table.rows.push(`• ${[first, described.join('; ')].filter(Boolean).join(': ')}`);
        } else if (table) table.header = table.row;
        break;
      case 'table_close':
        blocks.push(table!.rows.join('\n'));
        table = undefined;
        break;
      case 'inline': {
        const rendered = renderInline(token.children, syntax);
        if (table) table.row.push(rendered);
        else emit(heading ? syntax.bold(rendered) : rendered);
        break;
      }
      case 'fence':
      case 'code_block':
        emit(syntax.code(token.content.replace(/\n$/, '')));
        break;
      case 'hr':
        emit('—');
        break;
      default:
        break;
    }
  }
  return blocks.join('\n\n');
}

/** The sources under a reply: "Sources:" and one numbered line each, the title linked to its page. */
export function renderSources(sources: SourceRef[] | undefined, labels: SourceLabels | undefined, syntax: InlineSyntax): string {
  if (!sources?.length) return '';
  const heading = labels?.heading ?? 'Sources';
  const asOf = labels?.asOf ?? 'as of';
  const lines = sources.map((source, i) => {
    const title = syntax.text(source.title);
    const linked = SAFE_LINK.test(source.url) ? syntax.link(title, source.url) : title;
    return `[${i + 1}] ${linked}, ${syntax.text(asOf)} ${syntax.text(source.asOf)}`;
  });
  return [`${syntax.text(heading)}:`, ...lines].join('\n');
}
