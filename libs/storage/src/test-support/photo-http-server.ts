/**
 * Test-only HTTP origin for photo downloads: a real server on 127.0.0.1 whose routes a test scripts
 * (status codes, lying Content-Length, slow or endless bodies, redirects). Never imported by product code.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureTestTls } from './test-tls.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

export interface PhotoHttpServer {
  /** http://127.0.0.1:port, or https://127.0.0.1:port with `tls`. */
  origin: string;
  route(path: string, handler: RouteHandler): void;
  /** Serves bytes with a correct Content-Length. */
  serve(path: string, bytes: Buffer, contentType?: string): void;
  hits(path: string): number;
  close(): Promise<void>;
}

export interface PhotoHttpServerOptions {
  /**
   * Serve https with the test certificate (see test-tls.ts); the test worker must trust it through
   * NODE_EXTRA_CA_CERTS, which the package's vitest config sets.
   */
  tls?: boolean;
}

export async function startPhotoHttpServer(options: PhotoHttpServerOptions = {}): Promise<PhotoHttpServer> {
  const routes = new Map<string, RouteHandler>();
  const hitCounts = new Map<string, number>();
  const listener: RequestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://origin').pathname;
    const hit = (hitCounts.get(path) ?? 0) + 1;
    hitCounts.set(path, hit);
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    handler(req, res, hit);
  };
  let server: Server;
  if (options.tls) {
    const { certFile, keyFile } = ensureTestTls();
    server = createTlsServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, listener);
  } else {
    server = createServer(listener);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    route: (path, handler) => void routes.set(path, handler),
    serve: (path, bytes, contentType = 'image/jpeg') =>
      void routes.set(path, (_req, res) => {
        res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
        res.end(bytes);
      }),
    hits: (path) => hitCounts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
