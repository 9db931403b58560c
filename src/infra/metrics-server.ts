import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { LotseError } from '../core/errors.js';
import { METRICS_REFUSED, metricsAccess } from './metrics-access.js';

/**
 * /metrics alone, for a process without the gateway (`npm run worker`, `npm run sender`), whose
 * counters live in its own memory: METRICS_PORT turns it on, METRICS_TOKEN guards it as on the
 * gateway. Nothing else is served.
 */
export async function serveMetrics(registry: Registry, port: number, host: string, token?: string): Promise<{ url: string; close(): Promise<void> }> {
  const mayRead = metricsAccess(token);
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: this port serves /metrics only\n');
      return;
    }
    if (!mayRead(request.headers.authorization)) {
      response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end(METRICS_REFUSED);
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new LotseError('CONFIG_INVALID', `METRICS_PORT ${port}: ${error.code === 'EADDRINUSE' ? 'another process listens on it' : 'not allowed to listen on it'}.`, { hint: 'give each process on one machine a METRICS_PORT of its own (e.g. 9101 for the worker, 9102 for the sender), or unset it', cause: error })
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  // The process lives for its workers, not for this port: should its start fail later, the port does not keep it running.
  server.unref();
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // Prometheus keeps its connection open between scrapes
      }),
  };
}
