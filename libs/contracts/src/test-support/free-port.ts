/**
 * Test-only: a port nothing listens on now, for a server a test starts a moment later (or again after
 * a restart). The one home of this for every package's tests and tools.
 *
 * It is drawn below the kernel's ephemeral range: a port from inside it (what listen(0) hands out) is
 * also what any outgoing connection or listen(0) on the machine may take in the seconds before a
 * server, started through tsx, binds it — an EADDRINUSE seen under load (CI, `media-ai serve` on a
 * random port), and a chaos run's Redis port stays unbound for 10 s.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port freePort hands out: above the well-known and the usual registered services' ports. */
export const FIRST_FREE_PORT = 20_000;

export async function freePort(): Promise<number> {
  const below = ephemeralPortsFrom();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = FIRST_FREE_PORT + Math.floor(Math.random() * (below - FIRST_FREE_PORT));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${FIRST_FREE_PORT} and ${below}`);
}

/** The first port of the kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range). */
export function ephemeralPortsFrom(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (low > FIRST_FREE_PORT + 1_000) return low;
  } catch {
    // Not Linux: below 32768 is outside IANA's dynamic range (49152 on), which macOS and Windows use.
  }
  return 32_768;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
