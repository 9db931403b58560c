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
  /** The answer to safety-screen requests (their system prompt starts "You screen messages"). */
  screenAnswer = 'none';
  /** What /v1/audio/transcriptions answers, and the multipart bodies it received. */
  transcript = '';
  readonly transcriptions: string[] = [];
  private server?: Server;

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      if (req.url === '/v1/audio/transcriptions' && req.method === 'POST') {
        const raw = await read(req);
        this.transcriptions.push(raw);
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
      const behaviour: Behaviour = isScreen && this.behaviour.kind === 'reply' ? { kind: 'reply', content: this.screenAnswer } : this.behaviour;
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

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8') || '{}';
}
