import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { LotseError } from '../core/errors.js';
import { createEmbeddings } from '../retrieval/embeddings-factory.js';
import { buildIndex } from '../retrieval/index-builder.js';
import { runCli } from './run-cli.js';

const USAGE = 'usage: npm run index [-- --force]';

/** `npm run index`: validates, chunks and embeds knowledge/ into data/index. */
runCli(async () => {
  let force: boolean;
  try {
    force = Boolean(parseArgs({ options: { force: { type: 'boolean' } } }).values.force);
  } catch (error) {
    throw new LotseError('USAGE', `${(error as Error).message}\n${USAGE}`);
  }
  const config = loadConfig(process.env);
  const embedder = createEmbeddings(config);
  const report = await buildIndex({ knowledgeDir: config.knowledgeDir, indexDir: config.indexDir, embedder, force });
  for (const problem of report.problems) console.error(`knowledge/${problem.file}: ${problem.message}`);
  if (report.upToDate) {
    console.log(`Index is up to date (${report.documents} documents, ${report.chunks} chunks): nothing to do.`);
  } else {
    console.log(
      `Indexed ${report.documents} documents into ${report.chunks} chunks in ${(report.durationMs / 1000).toFixed(1)} s ` +
        `(${report.embedded} embedded, ${report.reused} reused) with ${embedder.id} -> ${config.indexDir}`,
    );
  }
  if (report.problems.length > 0) console.error(`${report.problems.length} file(s) skipped or with problems: see above.`);
  if (report.stale.length > 0) {
    console.log(`${report.stale.length} document(s) are past their review-by date (still used; answers say they may be out of date):`);
    for (const meta of report.stale) console.log(`  ${meta.id} (knowledge/${meta.file}): review by ${meta.reviewBy}`);
  }
});
