/**
 * Test Kafka broker: the TCP side — size-prefixed frames, request headers (v1: api key, version,
 * correlation id, client id; v2 adds tagged fields for flexible versions), dispatch to the registered
 * handler and the response header (v0: correlation id; v1 adds tagged fields for flexible versions,
 * except ApiVersions, whose answer keeps the v0 header so any client can read it, KIP-511). Like Kafka it handles one request per connection at a time and answers in order (kafkajs
 * puts fetches on a connection of their own, so a long poll never delays a heartbeat). It closes a
 * connection that sends something it cannot parse rather than guessing, and listens only where told
 * (tests use loopback).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ProtocolError, Reader, Writer } from './codec.js';
import type { ApiDefinition, BrokerState, SaslSession } from './api.js';
import { apiVersionsBody } from './handlers/api-versions.js';
import { ApiKey, ErrorCode } from './protocol.js';

const PRE_AUTHENTICATION_APIS: ReadonlySet<number> = new Set([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate]);

/** Kafka's socket.request.max.bytes default; a bigger size prefix means a corrupt stream. */
const MAX_FRAME_BYTES = 100 * 1024 * 1024;

class Connection {
  clientId = '';
  readonly sasl: SaslSession = { mechanism: null, authenticated: false };
  /** Received bytes not yet cut into frames; joined only once a whole frame is there, so big requests cost O(n). */
  private chunks: Buffer[] = [];
  private buffered = 0;
  private needed = 4;
  private readonly frames: Buffer[] = [];
  private busy = false;
  readonly closed = new AbortController();

  constructor(
    readonly socket: Socket,
    private readonly handle: (connection: Connection, frame: Buffer) => Promise<void>,
    private readonly log: (message: string) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.closed.abort());
  }

  get clientHost(): string {
    return this.socket.remoteAddress ?? '';
  }

  /** Sends a response; `headerTags` adds the empty tagged-field set of response header v1. */
  send(correlationId: number, body: Buffer, headerTags = false): void {
    if (this.socket.destroyed) return;
    const headerSize = headerTags ? 9 : 8;
    const header = Buffer.alloc(headerSize);
    header.writeInt32BE(body.length + headerSize - 4, 0);
    header.writeInt32BE(correlationId, 4);
    this.socket.write(Buffer.concat([header, body]));
  }

  close(reason?: string): void {
    if (reason) this.log(`closing connection from ${this.clientId || this.clientHost}: ${reason}`);
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= this.needed) {
      const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      this.chunks = [data];
      const size = data.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME_BYTES) {
        this.close(`invalid frame size ${size}`);
        return;
      }
      if (data.length < 4 + size) {
        this.needed = 4 + size;
        break;
      }
      this.frames.push(data.subarray(4, 4 + size));
      const rest = data.subarray(4 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.needed = 4;
    }
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.frames.length > 0 && !this.socket.destroyed) await this.handle(this, this.frames.shift()!);
    } finally {
      this.busy = false;
    }
  }
}

export interface BrokerServerOptions {
  log: (message: string) => void;
}

export class BrokerServer {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private readonly apis: Map<number, ApiDefinition>;
  private readonly isolated = new Set<string>();

  constructor(
    private readonly state: BrokerState,
    private readonly options: BrokerServerOptions,
  ) {
    this.apis = new Map(state.apis.map((api) => [api.apiKey, api]));
    this.server = createServer((socket) => {
      const connection = new Connection(socket, (c, frame) => this.dispatch(c, frame), options.log);
      this.connections.add(connection);
      socket.on('close', () => this.connections.delete(connection));
    });
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port }, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Makes a client look dead: its connections close and new ones are dropped at their first request. */
  isolate(clientId: string): void {
    this.isolated.add(clientId);
    for (const connection of this.connections) {
      if (connection.clientId === clientId) connection.close();
    }
  }

  readmit(clientId: string): void {
    this.isolated.delete(clientId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const connection of this.connections) connection.close();
    });
  }

  private async dispatch(connection: Connection, frame: Buffer): Promise<void> {
    let correlationId = -1;
    try {
      const header = new Reader(frame);
      const apiKey = header.int16();
      const version = header.int16();
      correlationId = header.int32();
      connection.clientId = header.classicNullableString() ?? '';
      if (this.isolated.has(connection.clientId)) {
        connection.close();
        return;
      }
      const api = this.apis.get(apiKey);
      if (!api || version < api.minVersion || version > api.maxVersion) {
        // Kafka answers an ApiVersions it cannot parse with a v0 body, so the client can retry lower.
        if (apiKey === ApiKey.ApiVersions) {
          connection.send(correlationId, apiVersionsBody(this.state, 0, ErrorCode.UNSUPPORTED_VERSION).toBuffer());
        } else {
          connection.close(`unsupported API ${apiKey} v${version}`);
        }
        return;
      }
      // With SASL on, Kafka closes a connection that skips authentication rather than answering it.
      if (this.state.sasl && !connection.sasl.authenticated && !PRE_AUTHENTICATION_APIS.has(apiKey)) {
        connection.close(`${api.name} before SASL authentication`);
        return;
      }
      const flexible = api.firstFlexibleVersion !== null && version >= api.firstFlexibleVersion;
      const request = flexible ? new Reader(header.rest(), { flexible }) : header;
      request.tags(); // request header v2 ends with tagged fields (none defined for requests yet)
      const body: Writer | null = await api.handle(request, version, this.state, {
        clientId: connection.clientId,
        clientHost: connection.clientHost,
        signal: connection.closed.signal,
        sasl: connection.sasl,
      });
      if (body !== null) connection.send(correlationId, body.toBuffer(), flexible && apiKey !== ApiKey.ApiVersions);
    } catch (error) {
      const what = error instanceof ProtocolError ? 'malformed request' : 'handler failure';
      connection.close(`${what} (correlation id ${correlationId}): ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
}
