/**
 * Test-only stand-in for the GCS JSON API: a real HTTP server on 127.0.0.1 answering the requests
 * @google-cloud/storage makes to read an object (metadata GET, `alt=media` download with
 * x-goog-hash so the client's checksum validation runs) and formatting 403/404 the way GCS does.
 * It exists because GCS cannot run here; it must never be imported by product code.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CRC32C } from '@google-cloud/storage';

export interface StoredObject {
  bytes: Buffer;
  contentType: string;
  generation: string;
  /** Size the metadata claims (a test lever: the real size is what the media read streams). */
  reportedSize: number;
}

export interface GcsStandIn {
  /** http://127.0.0.1:port, to pass as apiEndpoint. */
  endpoint: string;
  /** `reportedSize` makes the metadata lie about the size, to test limits enforced while streaming. */
  put(bucket: string, name: string, bytes: Buffer, contentType?: string, reportedSize?: number): void;
  /** Anonymous callers get 403 on these buckets, as on a private bucket. */
  makePrivate(bucket: string): void;
  /** The next `count` requests answer `status` (e.g. 503) before normal service resumes. */
  failNext(count: number, status: number): void;
  /** Every request seen, as "METHOD path?query". */
  readonly requests: string[];
  close(): Promise<void>;
}

const OBJECT_PATH = /^(?:\/download)?\/storage\/v1\/b\/([^/]+)\/o\/([^/?]+)$/;

export async function startGcsStandIn(): Promise<GcsStandIn> {
  const buckets = new Map<string, Map<string, StoredObject>>();
  const privateBuckets = new Set<string>();
  const requests: string[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  let generation = 1_700_000_000_000_000;

  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handle(req, res);
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (failures.count > 0) {
      failures.count--;
      return sendError(res, failures.status, 'backendError', 'Backend Error');
    }
    const match = OBJECT_PATH.exec(url.pathname);
    if (req.method !== 'GET' || !match) return sendError(res, 404, 'notFound', 'Not Found');
    const bucket = decodeURIComponent(match[1] ?? '');
    const name = decodeURIComponent(match[2] ?? '');
    const anonymous = !req.headers.authorization;
    if (privateBuckets.has(bucket) && anonymous) {
      return sendError(
        res,
        403,
        'forbidden',
        `Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object. Permission 'storage.objects.get' denied on resource (or it may not exist).`,
      );
    }
    const object = buckets.get(bucket)?.get(name);
    if (!object) return sendError(res, 404, 'notFound', `No such object: ${bucket}/${name}`);
    const wanted = url.searchParams.get('generation');
    if (wanted && wanted !== object.generation) return sendError(res, 404, 'notFound', `No such object: ${bucket}/${name}`);

    const md5 = createHash('md5').update(object.bytes).digest('base64');
    const crc = new CRC32C();
    crc.update(object.bytes);
    const crc32c = crc.toString();
    if (url.searchParams.get('alt') === 'media') {
      res.writeHead(200, {
        'content-type': object.contentType,
        'content-length': object.bytes.length,
        'x-goog-hash': `crc32c=${crc32c},md5=${md5}`,
        'x-goog-generation': object.generation,
        'x-goog-metageneration': '1',
        'x-goog-stored-content-encoding': 'identity',
        'x-goog-stored-content-length': String(object.bytes.length),
      });
      res.end(object.bytes);
      return;
    }
    sendJson(res, 200, {
      kind: 'storage#object',
      id: `${bucket}/${name}/${object.generation}`,
      selfLink: `http://stand-in/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}`,
      mediaLink: `http://stand-in/download/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}?generation=${object.generation}&alt=media`,
      name,
      bucket,
      generation: object.generation,
      metageneration: '1',
      contentType: object.contentType,
      storageClass: 'STANDARD',
      // The JSON API sends int64 values as strings.
      size: String(object.reportedSize),
      md5Hash: md5,
      crc32c,
      etag: 'CAE=',
      timeCreated: new Date(0).toISOString(),
      updated: new Date(0).toISOString(),
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    put(bucket, name, bytes, contentType = 'image/jpeg', reportedSize = bytes.length) {
      if (!buckets.has(bucket)) buckets.set(bucket, new Map());
      buckets.get(bucket)?.set(name, { bytes, contentType, generation: String(generation++), reportedSize });
    },
    makePrivate(bucket) {
      privateBuckets.add(bucket);
    },
    failNext(count, status) {
      failures = { count, status };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** GCS JSON API error body: { error: { code, message, errors: [{ message, domain, reason }] } }. */
function sendError(res: ServerResponse, status: number, reason: string, message: string): void {
  sendJson(res, status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
