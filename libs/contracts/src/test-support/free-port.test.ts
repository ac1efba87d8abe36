import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ephemeralPortsFrom, FIRST_FREE_PORT, freePort } from './free-port.js';

describe('freePort', () => {
  it('hands out ports below the ephemeral range, which nothing else is given meanwhile, and that can be bound', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(FIRST_FREE_PORT);
      expect(port).toBeLessThan(ephemeralPortsFrom());
    }
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
