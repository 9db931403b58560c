import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { createHttpServer } from '../../../src/infra/http-server.js';
import { createMetrics } from '../../../src/infra/metrics.js';

async function clientAddress(trustProxy: boolean | number | string[] | undefined) {
  const server = createHttpServer({ channels: [], metrics: createMetrics(), readiness: async () => ({ ready: true, checks: {} }), trustProxy });
  server.get('/ip', async (request) => ({ ip: request.ip }));
  const response = await server.inject({ method: 'GET', url: '/ip', headers: { 'x-forwarded-for': '203.0.113.7' }, remoteAddress: '10.0.0.1' });
  await server.close();
  return (response.json() as { ip: string }).ip;
}

describe('TRUST_PROXY', () => {
  it('is parsed as true, a hop count or addresses, and refused with the fix otherwise', () => {
    expect(loadConfig({}).env.TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: 'true' }).env.TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).env.TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.0/8' }).env.TRUST_PROXY).toEqual(['10.0.0.1', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'sometimes' })).toThrow(/TRUST_PROXY: must be "true", a number of proxy hops/);
  });

  it('makes the client behind the proxy the request address, and only when set', async () => {
    expect(await clientAddress(undefined)).toBe('10.0.0.1');
    expect(await clientAddress(1)).toBe('203.0.113.7');
    expect(await clientAddress(['10.0.0.1'])).toBe('203.0.113.7');
    expect(await clientAddress(['10.9.9.9'])).toBe('10.0.0.1');
  });
});
