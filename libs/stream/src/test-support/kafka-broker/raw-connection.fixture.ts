/**
 * Test fixture: a bare TCP connection to the test broker, below any client library, for tests that
 * must choose the exact request version or bytes — kafkajs' own per-version request encoders and
 * response decoders (kafkajs/src/protocol), or hand-built frames of versions kafkajs does not speak.
 * Test code only; it never retries and never hides a closed connection.
 */
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';

const require = createRequire(import.meta.url);

/** A module of kafkajs' protocol implementation (encoders, decoders, per-version requests). */
export function kafkajsProtocol<T>(path: string): T {
  return require(`kafkajs/src/protocol/${path}`) as T;
}

/** What kafkajs' requests/<api>/index.js gives for one version. */
export interface KafkajsVersionedRequest {
  request: { apiKey: number; apiVersion: number; encode: () => Promise<unknown> | unknown };
  response: { decode: (body: Buffer) => Promise<unknown>; parse: (decoded: unknown) => Promise<unknown> };
}

/** kafkajs' request builder for `api` (its folder name under requests/, e.g. 'fetch') at `version`. */
export function kafkajsRequest(api: string, version: number): (args: object) => KafkajsVersionedRequest {
  const { protocol } = kafkajsProtocol<{ protocol: (v: { version: number }) => (args: object) => KafkajsVersionedRequest }>(
    `requests/${api}/index.js`,
  );
  return protocol({ version });
}

export interface RawConnection {
  socket: Socket;
  /** Resolves when the broker (or the test) closes the connection. */
  closed: Promise<unknown>;
  /** Sends a kafkajs-encoded request without waiting for an answer. */
  send(correlationId: number, request: object): Promise<void>;
  /** Sends a kafkajs-encoded request and returns the response body after the correlation id. */
  exchange(correlationId: number, request: object): Promise<Buffer>;
  /** Sends one hand-built frame (without its size prefix) and returns the whole response frame after its size. */
  exchangeFrame(frame: Buffer): Promise<Buffer>;
  close(): void;
}

export async function rawConnection(bootstrap: string, clientId = 'raw'): Promise<RawConnection> {
  const encodeRequest = kafkajsProtocol<(args: object) => Promise<{ buffer: Buffer }>>('request.js');
  const port = Number(bootstrap.slice(bootstrap.lastIndexOf(':') + 1));
  const socket = connect({ host: '127.0.0.1', port });
  const closed = once(socket, 'close');
  await once(socket, 'connect');
  // One listener for the connection's life: bytes arriving while nobody waits must not be lost.
  let received = Buffer.alloc(0);
  let arrived: () => void = () => undefined;
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    arrived();
  });
  const nextFrame = async (): Promise<Buffer> => {
    while (received.length < 4 || received.length < 4 + received.readInt32BE(0)) {
      if (socket.destroyed) throw new Error('connection closed before a whole answer arrived');
      await Promise.race([new Promise<void>((resolve) => (arrived = resolve)), closed]);
    }
    const size = received.readInt32BE(0);
    const frame = received.subarray(4, 4 + size);
    received = received.subarray(4 + size);
    return frame;
  };
  const send = async (correlationId: number, request: object) => {
    socket.write((await encodeRequest({ correlationId, clientId, request })).buffer);
  };
  return {
    socket,
    closed,
    send,
    async exchange(correlationId, request) {
      await send(correlationId, request);
      const frame = await nextFrame();
      if (frame.readInt32BE(0) !== correlationId) throw new Error(`answer to ${frame.readInt32BE(0)}, expected ${correlationId}`);
      return frame.subarray(4);
    },
    async exchangeFrame(frame) {
      const size = Buffer.alloc(4);
      size.writeInt32BE(frame.length);
      socket.write(Buffer.concat([size, frame]));
      return nextFrame();
    },
    close: () => socket.destroy(),
  };
}
