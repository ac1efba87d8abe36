/**
 * The client against a real clamd (Debian's clamav-daemon) with the test signature database: EICAR by
 * md5, a marker in a JPEG comment by hex signature. Nothing is stood in for.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { sharedDir } from '@media-ai/contracts/test-support';
import { ClamdClient } from './clamd-client.js';
import { EICAR, EICAR_SIGNATURE, PAYLOAD_SIGNATURE, startClamd, withSignedPayload, type ClamdProcess } from './test-support/index.js';

const PHOTO = readFileSync(`${sharedDir()}/photos/phone_with_powerbank.jpg`);

let clamd: ClamdProcess;

beforeAll(async () => {
  clamd = await startClamd({ streamMaxLength: '1M' });
});

afterAll(async () => {
  await clamd?.cleanup();
});

async function failureOf(promise: Promise<unknown>): Promise<MediaAiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaAiError);
  return error as MediaAiError;
}

describe('ClamdClient against clamd', () => {
  it('PINGs and reads the version over TCP and over the unix socket', async () => {
    const tcp = clamd.client();
    const unix = new ClamdClient({ address: { socketPath: clamd.socketPath }, timeoutMs: 5_000 });
    await tcp.ping();
    await unix.ping();
    expect(await tcp.version()).toMatch(/^ClamAV \d+\.\d+\.\d+/);
    expect(unix.describe()).toBe(`unix:${clamd.socketPath}`);
    expect(tcp.describe()).toBe(`tcp://127.0.0.1:${clamd.port}`);
  });

  it('calls a real photo clean and names the signature of EICAR and of a JPEG carrying the signed payload', async () => {
    const client = clamd.client();
    expect(await client.scan(PHOTO.subarray(0, 512 * 1024))).toEqual({ infected: false });
    expect(await client.scan(EICAR)).toEqual({ infected: true, signature: EICAR_SIGNATURE });
    const signed = withSignedPayload(PHOTO.subarray(0, 300 * 1024));
    expect(await new ClamdClient({ address: { socketPath: clamd.socketPath }, timeoutMs: 5_000 }).scan(signed)).toEqual({
      infected: true,
      signature: PAYLOAD_SIGNATURE,
    });
  });

  it('frames a stream in many small chunks the same way', async () => {
    const client = new ClamdClient({ address: { host: clamd.host, port: clamd.port }, timeoutMs: 5_000, chunkBytes: 7 });
    expect(await client.scan(Buffer.concat([Buffer.alloc(1000, 0x20), EICAR]))).toEqual({ infected: false });
    expect(await client.scan(EICAR)).toEqual({ infected: true, signature: EICAR_SIGNATURE });
  });

  it('refuses a stream over StreamMaxLength, never as clean and never as an outage', async () => {
    // clamd answers "INSTREAM size limit exceeded" and closes; when our next chunk is already on its
    // way, the kernel resets the connection (EPIPE) and that answer is lost: either failure refuses.
    const codes = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const failure = await failureOf(clamd.client().scan(Buffer.alloc(3 * 1024 * 1024, 0x41)));
      expect(failure.outage).toBe(false);
      codes.add(failure.code);
      if (failure.code === 'MEDIA_AI_PHOTO_TOO_LARGE') expect(failure.retryable).toBe(false);
      else expect(failure.message).toMatch(/EPIPE|ECONNRESET/);
    }
    expect([...codes].every((c) => c === 'MEDIA_AI_PHOTO_TOO_LARGE' || c === 'MEDIA_AI_MALWARE_SCAN_FAILED')).toBe(true);
  });

  it('reports a port nobody listens on and a missing socket as MEDIA_AI_MALWARE_SCANNER_UNAVAILABLE (an outage)', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const refused = await failureOf(new ClamdClient({ address: { host: '127.0.0.1', port: closed }, timeoutMs: 2_000 }).scan(EICAR));
    expect(refused.code).toBe('MEDIA_AI_MALWARE_SCANNER_UNAVAILABLE');
    expect(refused.outage).toBe(true);
    expect(refused.message).toContain('ECONNREFUSED');
    const missing = await failureOf(new ClamdClient({ address: { socketPath: `${clamd.socketPath}.missing` }, timeoutMs: 2_000 }).ping());
    expect(missing.code).toBe('MEDIA_AI_MALWARE_SCANNER_UNAVAILABLE');
  });

  it('times out a server that accepts but never answers, and honours an abort', async () => {
    const silent = net.createServer((socket) => socket.on('data', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const client = new ClamdClient({ address: { host: '127.0.0.1', port }, timeoutMs: 300 });
      const started = Date.now();
      const timedOut = await failureOf(client.scan(EICAR));
      expect(timedOut.code).toBe('MEDIA_AI_MALWARE_SCANNER_UNAVAILABLE');
      expect(timedOut.message).toContain('no reply within 300 ms');
      expect(Date.now() - started).toBeLessThan(3_000);

      const controller = new AbortController();
      const pending = failureOf(new ClamdClient({ address: { host: '127.0.0.1', port }, timeoutMs: 60_000 }).ping(controller.signal));
      setTimeout(() => controller.abort(), 50);
      expect((await pending).message).toContain('cancelled');
    } finally {
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('treats a reply it does not know as a failed scan, not a clean one', async () => {
    const odd = net.createServer((socket) => socket.once('data', () => socket.end('stream: MAYBE\0')));
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    const { port } = odd.address() as net.AddressInfo;
    try {
      const failure = await failureOf(new ClamdClient({ address: { host: '127.0.0.1', port }, timeoutMs: 2_000 }).scan(EICAR));
      expect(failure.code).toBe('MEDIA_AI_MALWARE_SCAN_FAILED');
      expect(failure.message).toContain('stream: MAYBE');
    } finally {
      await new Promise((resolve) => odd.close(resolve));
    }
  });
});
