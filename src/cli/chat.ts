import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config/config.js';
import { createEngine, memoryStores, redisStores } from '../conversation/create-engine.js';
import { createLogger, logRecovered } from '../infra/logger.js';
import { asRedis, openRedis } from '../infra/redis.js';
import { PiiRedactor } from '../privacy/pii-redactor.js';
import { openKnowledge } from '../retrieval/open-knowledge.js';
import { plainText } from '../channels/plain-text.js';
import { runCli } from './run-cli.js';

/**
 * `npm run chat`: a conversation in the terminal through the whole pipeline, first contact and
 * consent included. Uses Redis when REDIS_URL is set (the conversation survives a restart),
 * memory otherwise, so it works on a machine with nothing installed and no network.
 */
runCli(async () => {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  const redactor = new PiiRedactor();
  const { retriever } = await openKnowledge(config);
  const redis = config.env.REDIS_URL ? asRedis(await openRedis(config.env.REDIS_URL, 'client')) : undefined;
  const stores = redis ? redisStores(redis, config) : memoryStores();
  const { handle } = createEngine({ config, retriever, stores, onError: logRecovered(logger, redactor) });

  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  console.log(`Lotse chat (${config.llm ? `LLM ${config.llm.model}` : 'offline answers'}; ${redis ? 'Redis' : 'in memory'}). Write in any language; Ctrl+D ends.\n`);
  const userId = `terminal-${process.pid}`;
  let n = 0;
  try {
    for await (const line of terminal) {
      const text = line.trim();
      if (text === '') continue;
      n += 1;
      const result = await handle({ id: `cli:${userId}:${n}`, channel: 'cli', userId, kind: 'text', text, receivedAt: new Date().toISOString() });
      for (const reply of result.replies) {
        console.log(`\nLotse: ${plainText(reply)}`);
        if (reply.buttons?.length) console.log(`       [${reply.buttons.map((b) => b.label).join('] [')}]`);
      }
      if (result.escalation) console.log(`\n(escalated: ${result.escalation.reason}${result.openedCase ? `, case ${result.openedCase.id}, priority ${result.openedCase.priority}` : ''})`);
      console.log('');
    }
  } finally {
    terminal.close();
    await redis?.quit();
  }
});
