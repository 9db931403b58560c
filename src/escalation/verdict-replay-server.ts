import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** Recorded answers of a screening model: one per message, keyed by the SHA-256 of the text the screen sent. */
export const recordedVerdictsSchema = z.object({
  /** Which model answered, and how (free text, for the report). */
  model: z.string(),
  recorded: z.string(),
  /** SHA-256 of prompts/safety-screen.md as it was when the verdicts were recorded. */
  promptSha256: z.string(),
  verdicts: z.record(z.string().regex(/^[0-9a-f]{64}$/), z.string()),
});
export type RecordedVerdicts = z.infer<typeof recordedVerdictsSchema>;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The message the screen sent, from between its markers. */
const screened = (content: string) => content.replace(/^<<<MESSAGE\n/, '').replace(/\nMESSAGE>>>$/, '');

/**
 * A local server speaking OpenAI's chat-completions protocol that answers safety-screen requests
 * with recorded verdicts, so that `npm run eval -- --llm-replay F` measures the combined screen
 * through the same HTTP client and prompt as a live model, without one. Other requests (answers,
 * summaries) get 503: the replay measures the screen only.
 */
export class VerdictReplayServer {
  /** Screen requests whose message had no recorded verdict (they were answered "none"). */
  unknown = 0;
  answered = 0;
  private server?: Server;

  constructor(private readonly recorded: RecordedVerdicts) {}

  static async load(file: string): Promise<VerdictReplayServer> {
    return new VerdictReplayServer(recordedVerdictsSchema.parse(JSON.parse(await readFile(file, 'utf8'))));
  }

  get model(): string {
    return this.recorded.model;
  }

  get promptSha256(): string {
    return this.recorded.promptSha256;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let body: { messages?: { role: string; content: string }[] };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
        } catch {
          res.writeHead(400).end();
          return;
        }
        const messages = body.messages ?? [];
        if (req.url !== '/v1/chat/completions' || !messages[0]?.content.startsWith('You screen messages')) {
          res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'the replay server answers safety-screen requests only' } }));
          return;
        }
        const verdict = this.recorded.verdicts[sha256(screened(messages[1]?.content ?? ''))];
        if (verdict === undefined) this.unknown += 1;
        else this.answered += 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: 'replay',
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: 'replay',
            choices: [{ index: 0, message: { role: 'assistant', content: verdict ?? 'none' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
