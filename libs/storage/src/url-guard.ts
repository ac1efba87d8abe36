/**
 * The SSRF guard behind the `UrlGuard` seam: photo URLs come from events anyone can write, so before
 * a network source connects anywhere this resolves the host and refuses every address that is not
 * public unicast (private, loopback, link-local incl. the cloud metadata address 169.254.169.254,
 * unique-local, CGNAT, multicast, unspecified, reserved, and IPv4 hidden inside IPv6 forms), refuses
 * URLs with credentials and schemes other than https, and returns the vetted addresses so the source
 * connects to exactly those (no second DNS answer can be swapped in: rebinding).
 * Must never connect anywhere itself, never accept a name if any of its addresses is forbidden, and
 * never allow loopback unless configured to (tests and local development only).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { MediaAiError } from '@media-ai/contracts';
import type { UrlGuard, UrlVerdict, VettedAddress } from './photo-source.js';

/** Resolves a host name to every address it has (injectable: tests answer without DNS). */
export type HostResolver = (hostname: string) => Promise<readonly VettedAddress[]>;

export interface SsrfGuardOptions {
  /** Let 127.0.0.0/8 and ::1 (and their IPv6-mapped forms) through: PHOTO_URL_ALLOW_LOOPBACK, tests/dev only. */
  allowLoopback?: boolean;
  /** Also let http:// through (tests against local plain-http servers); photos may carry personal data. */
  allowInsecureHttp?: boolean;
  /** Default: dns.lookup with all: true, i.e. what a connection would use. */
  resolve?: HostResolver;
}

/** Why an address is refused, or undefined for public unicast. */
export type AddressClass = 'unspecified' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'cgnat' | 'multicast' | 'reserved';

export const defaultResolver: HostResolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export function createSsrfGuard(options: SsrfGuardOptions = {}): UrlGuard {
  const resolve = options.resolve ?? defaultResolver;
  return async (url: URL): Promise<UrlVerdict | undefined> => {
    if (url.username || url.password) {
      // The credentials would be sent to whoever the URL (or a redirect) names.
      throw forbidden('credentials', 'Photo URLs must not carry credentials');
    }
    // gs:// names a bucket, not a network host: the GCS client talks to its configured endpoint,
    // so there is nothing to resolve (the bucket allow-list is the control there).
    if (url.protocol === 'gs:') return undefined;
    if (url.protocol !== 'https:' && !(options.allowInsecureHttp === true && url.protocol === 'http:')) {
      throw forbidden('scheme', `Scheme ${url.protocol} is not allowed for network photo sources`, { scheme: url.protocol });
    }
    // The WHATWG parser has already turned decimal, octal and hex IPv4 spellings (http://2130706433/,
    // http://0x7f.1/) into dotted quads and canonicalised IPv6, so a literal is recognised here.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (host === '') throw forbidden('host', 'The photo URL has no host');
    let addresses: readonly VettedAddress[];
    const literal = isIP(host);
    if (literal !== 0) {
      addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
    } else {
      try {
        addresses = await resolve(host);
      } catch (error) {
        // NXDOMAIN and resolver outages look alike from here; a later attempt may resolve.
        throw new MediaAiError('MEDIA_AI_PHOTO_DOWNLOAD_FAILED', 'The photo host name could not be resolved', {
          cause: error,
          details: { reason: 'dns', dnsCode: String((error as { code?: unknown }).code ?? 'unknown') },
        });
      }
      if (addresses.length === 0) {
        throw new MediaAiError('MEDIA_AI_PHOTO_DOWNLOAD_FAILED', 'The photo host name has no address', { details: { reason: 'dns' } });
      }
    }
    for (const { address } of addresses) {
      const refused = classifyAddress(address);
      if (refused === undefined || (refused === 'loopback' && options.allowLoopback === true)) continue;
      // Refuse the whole name, not just this address: a name that mixes public and internal
      // answers is pointing at us on purpose.
      throw forbidden(refused, `The photo host resolves to a ${refused} address`, { host: url.hostname });
    }
    return { addresses };
  };
}

/**
 * Classifies an IPv4 or IPv6 address (zone ids allowed); anything that is not a valid address is
 * 'reserved' (refused), so a resolver answering garbage cannot slip through.
 */
export function classifyAddress(address: string): AddressClass | undefined {
  const bare = address.replace(/%.*$/, '');
  const kind = isIP(bare);
  if (kind === 4) return classifyIpv4(ipv4Bytes(bare));
  if (kind === 6) return classifyIpv6(ipv6Bytes(bare));
  return 'reserved';
}

function classifyIpv4([a = 0, b = 0, c = 0]: readonly number[]): AddressClass | undefined {
  if (a === 0) return 'unspecified'; // 0.0.0.0/8: "this network"; 0.0.0.0 reaches the local host on Linux
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'link-local'; // includes 169.254.169.254, the cloud metadata service
  if (a === 100 && b >= 64 && b <= 127) return 'cgnat';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved'; // includes 255.255.255.255
  // IETF assignments, documentation, benchmarking and the 6to4 relay: never a photo origin.
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved';
  if (a === 192 && b === 88 && c === 99) return 'reserved';
  if (a === 198 && (b === 18 || b === 19)) return 'reserved';
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'reserved';
  return undefined;
}

function classifyIpv6(bytes: readonly number[]): AddressClass | undefined {
  const zero = (from: number, to: number) => bytes.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => bytes.slice(at, at + 4);
  if (zero(0, 16)) return 'unspecified';
  if (zero(0, 15) && bytes[15] === 1) return 'loopback';
  // IPv4 hidden in IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d)
  // and 6to4 (2002:AABB:CCDD::) all end up at the IPv4 address, so they are judged as it.
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return classifyIpv4(v4(12));
  if (zero(0, 12)) return classifyIpv4(v4(12));
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12)) return classifyIpv4(v4(12));
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return classifyIpv4(v4(2));
  const [first = 0, second = 0] = bytes;
  if (first === 0xff) return 'multicast';
  if (first === 0xfe && (second & 0xc0) === 0x80) return 'link-local';
  if (first === 0xfe && (second & 0xc0) === 0xc0) return 'private'; // fec0::/10, deprecated site-local
  if ((first & 0xfe) === 0xfc) return 'unique-local';
  // Only global unicast (2000::/3) can be a photo origin; inside it, 2001::/23 (Teredo, ORCHID,
  // IETF assignments) and 2001:db8::/32 (documentation) are not.
  if ((first & 0xe0) !== 0x20) return 'reserved';
  if (first === 0x20 && second === 0x01 && (bytes[2] ?? 0) <= 0x01) return 'reserved';
  if (first === 0x20 && second === 0x01 && bytes[2] === 0x0d && bytes[3] === 0xb8) return 'reserved';
  return undefined;
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** 16 bytes of a valid IPv6 address (net.isIP said so), including `::` and a dotted-quad tail. */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  let tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    tail = ipv4Bytes(dotted[1]);
    text = text.slice(0, -dotted[1].length) + '0:0';
  }
  const [head = '', rest] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const words = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function forbidden(reason: string, message: string, extra: Record<string, string> = {}): MediaAiError {
  return new MediaAiError('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', message, { details: { reason, ...extra } });
}
