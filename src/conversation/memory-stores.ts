import { randomUUID } from 'node:crypto';
import type { DangerKind } from '../core/danger.js';
import type { Case, NewCase } from '../core/case.js';
import type { Conversation } from '../core/conversation.js';
import type { CaseStore, ConversationStore, DedupeStore } from '../core/ports.js';

/** Conversations in memory: for unit tests and one-shot runs (`npm run ask`). */
export class MemoryConversationStore implements ConversationStore {
  readonly items = new Map<string, Conversation>();
  async get(key: string) {
    const found = this.items.get(key);
    return found && structuredClone(found);
  }
  async save(conversation: Conversation) {
    this.items.set(conversation.key, structuredClone(conversation));
  }
  async delete(key: string) {
    this.items.delete(key);
  }
}

export class MemoryCaseStore implements CaseStore {
  readonly items = new Map<string, Case>();
  async open(input: NewCase) {
    const created: Case = { ...input, pool: input.pool ?? 'default', id: randomUUID(), status: 'open', createdAt: new Date().toISOString() };
    this.items.set(created.id, created);
    return structuredClone(created);
  }
  async get(id: string) {
    const found = this.items.get(id);
    return found && structuredClone(found);
  }
  async findOpen(conversationKey: string) {
    return [...this.items.values()].find((c) => c.conversationKey === conversationKey && (c.status === 'open' || c.status === 'claimed'));
  }
  async deleteForConversation(conversationKey: string) {
    const ids = [...this.items.values()].filter((c) => c.conversationKey === conversationKey).map((c) => c.id);
    ids.forEach((id) => this.items.delete(id));
    return ids.length;
  }
  async waitInfo(c: Case, fallbackMinutes: number) {
    const ahead = [...this.items.values()].filter((other) => other.status === 'open' && other.pool === c.pool && other.createdAt < c.createdAt).length;
    return { ahead, minutes: fallbackMinutes };
  }
  readonly events: { caseId: string; type: string; text: string }[] = [];
  async record(c: Case, event: { type: 'user_message' | 'bot_answer'; text: string; media?: { kind: string; ref?: string } }) {
    this.events.push({ caseId: c.id, ...event });
  }
  async cancel(c: Case) {
    const found = this.items.get(c.id);
    if (found) found.status = 'cancelled';
  }
  async preferWoman(c: Case) {
    const found = this.items.get(c.id);
    if (found) found.wantsWoman = true;
    return false;
  }
  async raiseToSafety(c: Case, danger: DangerKind | undefined) {
    const found = this.items.get(c.id);
    if (found) Object.assign(found, { priority: 'urgent', reason: 'safety', danger: danger ?? found.danger });
  }
}

export class MemoryDedupeStore implements DedupeStore {
  readonly seen = new Map<string, 'processing' | 'done'>();
  async claim(messageId: string) {
    if (this.seen.get(messageId) === 'done') return false;
    this.seen.set(messageId, 'processing');
    return true;
  }
  async complete(messageId: string) {
    this.seen.set(messageId, 'done');
  }
  async release(messageId: string) {
    if (this.seen.get(messageId) === 'processing') this.seen.delete(messageId);
  }
  async forget(conversationKey: string) {
    for (const id of this.seen.keys()) if (id.startsWith(`${conversationKey}:`)) this.seen.delete(id);
  }
}
