/**
 * Test-only stand-in for the GCS JSON API: a real HTTP server on 127.0.0.1 answering the requests
 * @google-cloud/storage makes to read an object (metadata GET, `alt=media` download with
 * x-goog-hash so the client's checksum validation runs), the ones the blob store makes (multipart
 * upload with `ifGenerationMatch`, listing by prefix, metadata PATCH, conditional delete) and formatting
 * 403/404/412 the way GCS does.
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
  /** Bumped by every metadata change (PATCH), as in GCS. */
  metageneration: number;
  /** Size the metadata claims (a test lever: the real size is what the media read streams). */
  reportedSize: number;
  timeCreated: Date;
  /** GCS only lets it move forward, never back or away. */
  customTime?: Date;
}

export interface GcsStandIn {
  /** http://127.0.0.1:port, to pass as apiEndpoint. */
  endpoint: string;
  /** `reportedSize` makes the metadata lie about the size, to test limits enforced while streaming. */
  put(bucket: string, name: string, bytes: Buffer, contentType?: string, reportedSize?: number): void;
  /** The stored object, as a test would inspect the bucket. */
  object(bucket: string, name: string): StoredObject | undefined;
  /** Object names in a bucket, sorted as GCS lists them. */
  names(bucket: string): string[];
  /** Moves an object's creation (and custom) time `ms` into the past, to test TTL sweeps without waiting. */
  backdate(bucket: string, name: string, ms: number): void;
  /** Anonymous callers get 403 on these buckets, as on a private bucket. */
  makePrivate(bucket: string): void;
  /** The next `count` requests answer `status` (e.g. 503) before normal service resumes. */
  failNext(count: number, status: number): void;
  /** The next `count` media downloads send their headers and half the body, then nothing more. */
  stallNext(count: number): void;
  /** Every request seen, as "METHOD path?query". */
  readonly requests: string[];
  /** Runs before each request is handled (undefined: none), to stage races such as a put landing mid-sweep. */
  beforeHandle: ((method: string, url: URL) => void) | undefined;
  close(): Promise<void>;
}

const OBJECT_PATH = /^(?:\/download)?\/storage\/v1\/b\/([^/]+)\/o\/([^/?]+)$/;
const LIST_PATH = /^\/storage\/v1\/b\/([^/]+)\/o$/;
const UPLOAD_PATH = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/;

export async function startGcsStandIn(): Promise<GcsStandIn> {
  const buckets = new Map<string, Map<string, StoredObject>>();
  const privateBuckets = new Set<string>();
  const requests: string[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  let stalls = 0;
  let generation = 1_700_000_000_000_000;

  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    // Bodies are read whole before answering: uploads are small, and a half-read request body would
    // make the client see a reset instead of the status the test wants it to see.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks), res));
  });

  function bucketOf(name: string): Map<string, StoredObject> {
    let objects = buckets.get(name);
    if (!objects) buckets.set(name, (objects = new Map()));
    return objects;
  }

  function handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    standIn.beforeHandle?.(req.method ?? 'GET', url);
    if (failures.count > 0) {
      failures.count--;
      return sendError(res, failures.status, 'backendError', 'Backend Error');
    }
    const upload = UPLOAD_PATH.exec(url.pathname);
    const list = LIST_PATH.exec(url.pathname);
    const match = OBJECT_PATH.exec(url.pathname);
    const bucket = decodeURIComponent((upload ?? list ?? match)?.[1] ?? '');
    const anonymous = !req.headers.authorization;
    if (privateBuckets.has(bucket) && anonymous) {
      return sendError(
        res,
        403,
        'forbidden',
        `Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object. Permission 'storage.objects.get' denied on resource (or it may not exist).`,
      );
    }
    if (upload && req.method === 'POST') return handleUpload(bucket, url, req, body, res);
    if (list && req.method === 'GET') return handleList(bucket, url, res);
    if (!match) return sendError(res, 404, 'notFound', 'Not Found');
    const name = decodeURIComponent(match[2] ?? '');
    const object = buckets.get(bucket)?.get(name);
    if (!object) return sendError(res, 404, 'notFound', `No such object: ${bucket}/${name}`);
    const wanted = url.searchParams.get('generation');
    if (wanted && wanted !== object.generation) return sendError(res, 404, 'notFound', `No such object: ${bucket}/${name}`);
    if (!preconditionsHold(url, object))
      return sendError(res, 412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.');

    if (req.method === 'DELETE') {
      buckets.get(bucket)?.delete(name);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'PATCH') return handlePatch(bucket, name, object, body, res);
    if (req.method !== 'GET') return sendError(res, 405, 'methodNotAllowed', 'Method not allowed');

    if (url.searchParams.get('alt') === 'media') {
      const { md5Hash, crc32c } = hashes(object.bytes);
      res.writeHead(200, {
        'content-type': object.contentType,
        'content-length': object.bytes.length,
        'x-goog-hash': `crc32c=${crc32c},md5=${md5Hash}`,
        'x-goog-generation': object.generation,
        'x-goog-metageneration': String(object.metageneration),
        'x-goog-stored-content-encoding': 'identity',
        'x-goog-stored-content-length': String(object.bytes.length),
      });
      if (stalls > 0) {
        stalls--;
        // The connection stays open with the rest never sent (close() ends it).
        res.write(object.bytes.subarray(0, object.bytes.length >> 1));
        return;
      }
      res.end(object.bytes);
      return;
    }
    sendJson(res, 200, resource(bucket, name, object));
  }

  /**
   * The simple (multipart/related) upload the client uses with `resumable: false`: a JSON metadata
   * part, then the media part. Resumable uploads are not spoken here; a client that tried one would
   * get 404 and the test would say so.
   */
  function handleUpload(bucket: string, url: URL, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    if (url.searchParams.get('uploadType') !== 'multipart')
      return sendError(res, 400, 'invalid', 'Only uploadType=multipart is supported by the stand-in');
    const boundary = /boundary="?([^";]+)"?/.exec(req.headers['content-type'] ?? '')?.[1];
    const parts = boundary ? splitMultipart(body, boundary) : [];
    const [metaPart, mediaPart] = parts;
    if (!metaPart || !mediaPart) return sendError(res, 400, 'invalid', 'Expected a multipart/related body with metadata and media');
    const metadata = JSON.parse(metaPart.body.toString('utf8')) as { name?: string; contentType?: string; customTime?: string };
    const name = url.searchParams.get('name') ?? metadata.name;
    if (!name) return sendError(res, 400, 'required', 'Required object name');
    const existing = buckets.get(bucket)?.get(name);
    const ifGenerationMatch = url.searchParams.get('ifGenerationMatch');
    // ifGenerationMatch=0 means "only if no live object exists": the content-addressed store's
    // guarantee that concurrent writers never replace each other.
    if (ifGenerationMatch !== null && ifGenerationMatch !== (existing?.generation ?? '0')) {
      return sendError(res, 412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.');
    }
    const object: StoredObject = {
      bytes: mediaPart.body,
      contentType: metadata.contentType ?? mediaPart.contentType ?? 'application/octet-stream',
      generation: String(generation++),
      metageneration: 1,
      reportedSize: mediaPart.body.length,
      timeCreated: new Date(),
      ...(metadata.customTime ? { customTime: new Date(metadata.customTime) } : {}),
    };
    bucketOf(bucket).set(name, object);
    sendJson(res, 200, resource(bucket, name, object));
  }

  function handlePatch(bucket: string, name: string, object: StoredObject, body: Buffer, res: ServerResponse): void {
    const patch = JSON.parse(body.toString('utf8') || '{}') as { customTime?: string | null; contentType?: string };
    if (patch.customTime !== undefined) {
      const next = patch.customTime === null ? undefined : new Date(patch.customTime);
      // GCS refuses to move customTime back or remove it once set.
      if (object.customTime && (!next || next.getTime() < object.customTime.getTime())) {
        return sendError(res, 400, 'invalid', 'Custom time cannot be decreased or removed.');
      }
      object.customTime = next;
    }
    if (patch.contentType) object.contentType = patch.contentType;
    object.metageneration++;
    sendJson(res, 200, resource(bucket, name, object));
  }

  function handleList(bucket: string, url: URL, res: ServerResponse): void {
    const prefix = url.searchParams.get('prefix') ?? '';
    const pageSize = Math.min(Number(url.searchParams.get('maxResults') ?? 1000) || 1000, 1000);
    // An opaque token in GCS; here the name to resume after, which is what it encodes in effect.
    const after = url.searchParams.get('pageToken');
    const names = [...(buckets.get(bucket)?.keys() ?? [])]
      .filter((name) => name.startsWith(prefix) && (after === null || name > after))
      .sort();
    const page = names.slice(0, pageSize);
    const objects = buckets.get(bucket);
    sendJson(res, 200, {
      kind: 'storage#objects',
      items: page.map((name) => resource(bucket, name, objects?.get(name) as StoredObject)),
      ...(names.length > pageSize ? { nextPageToken: page[page.length - 1] } : {}),
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const standIn: GcsStandIn = {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    beforeHandle: undefined,
    put(bucket, name, bytes, contentType = 'image/jpeg', reportedSize = bytes.length) {
      bucketOf(bucket).set(name, {
        bytes,
        contentType,
        generation: String(generation++),
        metageneration: 1,
        reportedSize,
        timeCreated: new Date(),
      });
    },
    object: (bucket, name) => buckets.get(bucket)?.get(name),
    names: (bucket) => [...(buckets.get(bucket)?.keys() ?? [])].sort(),
    backdate(bucket, name, ms) {
      const object = buckets.get(bucket)?.get(name);
      if (!object) throw new Error(`stand-in: no object ${bucket}/${name}`);
      object.timeCreated = new Date(object.timeCreated.getTime() - ms);
      if (object.customTime) object.customTime = new Date(object.customTime.getTime() - ms);
    },
    makePrivate(bucket) {
      privateBuckets.add(bucket);
    },
    failNext(count, status) {
      failures = { count, status };
    },
    stallNext(count) {
      stalls = count;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return standIn;
}

/** The JSON API's object preconditions, on reads, patches and deletes alike. */
function preconditionsHold(url: URL, object: StoredObject): boolean {
  const generation = url.searchParams.get('ifGenerationMatch');
  const metageneration = url.searchParams.get('ifMetagenerationMatch');
  return (
    (generation === null || generation === object.generation) &&
    (metageneration === null || metageneration === String(object.metageneration))
  );
}

function hashes(bytes: Buffer): { md5Hash: string; crc32c: string } {
  const crc = new CRC32C();
  crc.update(bytes);
  return { md5Hash: createHash('md5').update(bytes).digest('base64'), crc32c: crc.toString() };
}

function resource(bucket: string, name: string, object: StoredObject): Record<string, unknown> {
  return {
    kind: 'storage#object',
    id: `${bucket}/${name}/${object.generation}`,
    selfLink: `http://stand-in/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}`,
    mediaLink: `http://stand-in/download/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}?generation=${object.generation}&alt=media`,
    name,
    bucket,
    generation: object.generation,
    metageneration: String(object.metageneration),
    contentType: object.contentType,
    storageClass: 'STANDARD',
    // The JSON API sends int64 values as strings.
    size: String(object.reportedSize),
    ...hashes(object.bytes),
    etag: 'CAE=',
    timeCreated: object.timeCreated.toISOString(),
    updated: object.timeCreated.toISOString(),
    ...(object.customTime ? { customTime: object.customTime.toISOString() } : {}),
  };
}

/** multipart/related body -> parts (headers parsed for Content-Type only; bodies kept as bytes). */
function splitMultipart(body: Buffer, boundary: string): { contentType?: string; body: Buffer }[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { contentType?: string; body: Buffer }[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const raw = body.subarray(start + delimiter.length, next);
    const headerEnd = raw.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = raw.subarray(0, headerEnd).toString('latin1');
      // The part body ends with the CRLF that precedes the next delimiter.
      const partBody = raw.subarray(headerEnd + 4, raw.length - 2);
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
      parts.push({ ...(contentType ? { contentType } : {}), body: Buffer.from(partBody) });
    }
    start = next;
  }
  return parts;
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
