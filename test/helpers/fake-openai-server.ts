import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}

export type Behaviour = { kind: 'reply'; content: string } | { kind: 'delay'; ms: number; content: string } | { kind: 'status'; status: number };

/**
 * A local server that speaks OpenAI's chat-completions wire protocol (POST /v1/chat/completions),
 * so the app is tested through OPENAI_BASE_URL exactly as a user would point it at a real server.
 */
export class FakeOpenAiServer {
  readonly requests: ChatRequest[] = [];
  behaviour: Behaviour = { kind: 'reply', content: 'ok' };
  /**
   * The answer to safety-screen requests (their system prompt starts "You screen messages"): one
   * answer for all, or one per message (the text between the screen's markers), e.g. replayed from
   * recorded verdicts.
   */
  screenAnswer: string | ((message: string) => string) = 'none';
  /**
   * Optional: computes each answer from its request (e.g. echoes a marker of the user's message),
   * optionally after a delay; replaces a 'reply' or 'delay' behaviour (not a 'status'). Safety-screen
   * requests are not passed to it: they get `screenAnswer` at once.
   */
  respond?: (request: ChatRequest) => string | { content: string; delayMs?: number };
  /** What /v1/audio/transcriptions answers, and the multipart bodies it received. */
  transcript = '';
  readonly transcriptions: string[] = [];
  /** Milliseconds /v1/audio/transcriptions waits before answering (a slow or hung server). */
  transcriptionDelayMs = 0;
  /** Milliseconds /v1/embeddings waits before answering; its vectors are small and derived from the text. */
  embeddingsDelayMs = 0;
  readonly embeddingRequests: string[][] = [];
  /** "METHOD /path" of requests whose client closed the connection before the answer (a timeout that really aborted). */
  readonly abandoned: string[] = [];
  private server?: Server;

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      res.on('close', () => {
        if (!res.writableFinished) this.abandoned.push(`${req.method} ${req.url}`);
      });
      if (req.url === '/v1/embeddings' && req.method === 'POST') {
        const request = JSON.parse(await read(req)) as { input: string | string[]; model: string; encoding_format?: string };
        const inputs = Array.isArray(request.input) ? request.input : [request.input];
        this.embeddingRequests.push(inputs);
        if (this.embeddingsDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.embeddingsDelayMs));
        if (res.destroyed) return;
        const data = inputs.map((text, index) => {
          const vector = fakeVector(text);
          return { object: 'embedding', index, embedding: request.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector };
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: request.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
        return;
      }
      if (req.url === '/v1/audio/transcriptions' && req.method === 'POST') {
        const raw = await read(req);
        this.transcriptions.push(raw);
        if (this.transcriptionDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.transcriptionDelayMs));
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: this.transcript }));
        return;
      }
      const body = JSON.parse(await read(req)) as ChatRequest;
      if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      this.requests.push(body);
      const isScreen = body.messages[0]?.content.startsWith('You screen messages');
      const screenAnswer = () => {
        const message = (body.messages[1]?.content ?? '').replace(/^<<<MESSAGE\n/, '').replace(/\nMESSAGE>>>$/, '');
        return typeof this.screenAnswer === 'function' ? this.screenAnswer(message) : this.screenAnswer;
      };
      let behaviour: Behaviour = isScreen && this.behaviour.kind === 'reply' ? { kind: 'reply', content: screenAnswer() } : this.behaviour;
      if (this.respond && behaviour.kind !== 'status') {
        const computed = isScreen ? screenAnswer() : this.respond(body);
        const { content, delayMs = 0 } = typeof computed === 'string' ? { content: computed } : computed;
        behaviour = delayMs > 0 ? { kind: 'delay', ms: delayMs, content } : { kind: 'reply', content };
      }
      if (behaviour.kind === 'status') {
        res.writeHead(behaviour.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'upstream failure', type: 'server_error' } }));
        return;
      }
      if (behaviour.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, behaviour.ms));
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${this.requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: behaviour.content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** An 8-dimensional unit vector from a text's characters: the same text, the same vector. */
function fakeVector(text: string): number[] {
  const vector = Array.from({ length: 8 }, (_, i) => 1 + (i === 0 ? text.length % 7 : 0));
  for (const [i, char] of Array.from(text).entries()) vector[i % 8]! += (char.codePointAt(0)! % 31) / 31;
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8') || '{}';
}
