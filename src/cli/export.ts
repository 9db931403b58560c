import { loadConfig } from '../config/config.js';
import { openRedis } from '../infra/redis.js';
import { runExportCommand } from '../privacy/export-command.js';
import { openUserData } from '../privacy/open-user-data.js';
import { runCli } from './run-cli.js';

/** `npm run export -- <channel> <user> [--out <file>] [--delete]`: a user's data in the Redis of REDIS_URL, shown or erased. */
runCli(async () => {
  const config = loadConfig(process.env);
  return runExportCommand(process.argv.slice(2), {
    async open() {
      // A Redis Cluster is found from the URL alone, as the service finds it.
      const redis = await openRedis(config.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
      redis.on('error', () => undefined);
      const access = await openUserData({ redis, config }).catch((error: unknown) => {
        redis.disconnect();
        throw error;
      });
      return {
        ...access,
        async close() {
          await access.close();
          await redis.quit().catch(() => redis.disconnect());
        },
      };
    },
    out: (text) => process.stdout.write(text),
    err: (line) => console.error(line),
  });
});
