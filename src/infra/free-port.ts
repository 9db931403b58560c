import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (never 6379, where a default Redis may be about to listen). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (port !== 6379) return port;
  }
}
