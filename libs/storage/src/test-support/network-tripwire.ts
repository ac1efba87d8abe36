/**
 * Test-only tripwire: while armed, any socket the process opens to an address other than loopback
 * (127.0.0.1, ::1) fails before it connects, and is recorded. SSRF tests resolve names to forbidden
 * addresses with an injected resolver; if the guard ever regressed, the request would otherwise
 * really go to 10.0.0.1 or 169.254.169.254. Names other than `localhost` without a pinned `lookup`
 * are refused too, so a test can never trigger a real DNS query. Never imported by product code.
 */
import { isIP, Socket, type LookupFunction } from 'node:net';

export interface NetworkTripwire {
  /** Every refused destination, as `host` or `host -> address`. */
  readonly refused: string[];
  disarm(): void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function armNetworkTripwire(): NetworkTripwire {
  const refused: string[] = [];
  const original = Socket.prototype.connect;
  type ConnectOptions = { host?: string; port?: number; path?: string | null; lookup?: LookupFunction };

  Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
    // net.createConnection passes its normalized [options, callback] array as the first argument.
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const options: ConnectOptions =
      typeof first === 'object' && first !== null
        ? (first as ConnectOptions)
        : { port: Number(first), host: typeof args[1] === 'string' ? args[1] : undefined };
    // A unix socket path never leaves the machine; http(s) agents pass `path: null` for TCP.
    if (!options.path) {
      const host = (options.host ?? 'localhost').replace(/^\[|\]$/g, '');
      const fail = (what: string) => {
        refused.push(what);
        throw new Error(`network tripwire: refused a connection to ${what}`);
      };
      if (isIP(host) !== 0) {
        if (!LOOPBACK.has(host)) fail(host);
      } else if (options.lookup) {
        const inner = options.lookup;
        options.lookup = ((hostname, lookupOptions, callback) =>
          inner(hostname, lookupOptions, (error: NodeJS.ErrnoException | null, address: unknown, family?: number) => {
            const list = Array.isArray(address) ? (address as { address: string }[]).map((a) => a.address) : [String(address)];
            const bad = list.find((a) => !LOOPBACK.has(a));
            if (!error && bad !== undefined) {
              refused.push(`${hostname} -> ${bad}`);
              return (callback as (e: Error) => void)(new Error(`network tripwire: refused ${hostname} -> ${bad}`));
            }
            (callback as (e: unknown, a: unknown, f?: number) => void)(error, address, family);
          })) as LookupFunction;
      } else if (host !== 'localhost') {
        fail(host);
      }
    }
    return (original as (...a: unknown[]) => Socket).apply(this, args);
  } as typeof Socket.prototype.connect;

  return {
    refused,
    disarm() {
      Socket.prototype.connect = original;
    },
  };
}
