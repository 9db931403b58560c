import { loadConfig } from '../config/config.js';
import { runAdvisorCommand } from '../handoff/advisors/console/account-commands.js';
import { readNewPassword } from '../handoff/advisors/console/password-input.js';
import { PoolDirectory } from '../handoff/pools.js';
import { asRedis, openRedis } from '../infra/redis.js';
import { runCli } from './run-cli.js';

/** `npm run advisor -- add|remove|list`: the web advisor console's accounts, in the Redis of REDIS_URL. */
runCli(async () => {
  const config = loadConfig(process.env);
  // The pools an advisor may be put in: those of ADVISOR_POOLS_FILE (without one, the single "default" pool).
  const knownPools = PoolDirectory.load(config.env.ADVISOR_POOLS_FILE, config.env.SLACK_ADVISOR_CHANNEL).pools.map((pool) => pool.id);
  // A Redis Cluster is found from the URL alone, as the service finds it.
  const redis = asRedis(await openRedis(config.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client'));
  try {
    return await runAdvisorCommand(process.argv.slice(2), { redis, prefix: 'lotse:', readPassword: readNewPassword, out: (line) => console.log(line), knownPools });
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
});
