/**
 * One process of the "index built once" test (open-knowledge-lock.test.ts): waits until START_AT,
 * so that all processes reach openKnowledge together, opens the knowledge and prints what it did.
 */
import { loadConfig } from '../../../src/config/config.js';
import { openKnowledge } from '../../../src/retrieval/open-knowledge.js';

const config = loadConfig({ DATA_DIR: process.env.CHILD_DATA_DIR, KNOWLEDGE_DIR: process.env.CHILD_KNOWLEDGE_DIR });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(process.env.START_AT) - Date.now())));
const { index, built } = await openKnowledge(config);
process.stdout.write(`${JSON.stringify({ pid: process.pid, built: Boolean(built), builtAt: index.manifest.builtAt, chunks: index.chunks.length })}\n`);
