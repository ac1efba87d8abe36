/**
 * Test-only: an OTLP/HTTP trace receiver, what a collector's :4318 is to the services. A node:http
 * server on 127.0.0.1 that accepts POST /v1/traces in the OTLP JSON encoding (gzip or not), keeps
 * every span it is sent with the service that sent it, and answers as a collector does. Protobuf is
 * refused with 415 (the services send JSON unless told otherwise) and counted, so a misconfigured
 * exporter shows up as a failure instead of as missing spans.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface ReceivedSpan {
  /** The resource's service.name. */
  service: string;
  /** The instrumentation scope (tracer name): `@media-ai/stream`, `@opentelemetry/instrumentation-kafkajs`. */
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  links: Array<{ traceId: string; spanId: string }>;
  attributes: Record<string, unknown>;
  statusCode: number;
  startNs: bigint;
  endNs: bigint;
}

export interface OtlpReceiver {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  readonly endpoint: string;
  readonly spans: ReceivedSpan[];
  /** Requests refused (not JSON, not /v1/traces, unreadable). */
  readonly refused: string[];
  close(): Promise<void>;
}

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
};
type KeyValue = { key: string; value: AnyValue };

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  links?: Array<{ traceId: string; spanId: string }>;
  attributes?: KeyValue[];
  status?: { code?: number };
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
}

interface TracesRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{ scope?: { name?: string }; spans?: JsonSpan[] }>;
  }>;
}

/** OTLP JSON ids are hex; a base64 one (the protobuf JSON mapping) is turned into hex too. */
function hexId(id: string | undefined): string {
  if (!id) return '';
  return /^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

function valueOf(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return null;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const refused: string[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const type = request.headers['content-type'] ?? '';
      if (request.method !== 'POST' || request.url !== '/v1/traces' || !type.startsWith('application/json')) {
        refused.push(`${request.method} ${request.url} ${type}`);
        response.writeHead(request.url === '/v1/traces' ? 415 : 404).end();
        return;
      }
      try {
        const payload = JSON.parse((await bodyOf(request)).toString('utf8')) as TracesRequest;
        for (const resourceSpans of payload.resourceSpans ?? []) {
          const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '');
          for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
            for (const span of scopeSpans.spans ?? []) {
              spans.push({
                service,
                scope: scopeSpans.scope?.name ?? '',
                traceId: hexId(span.traceId),
                spanId: hexId(span.spanId),
                parentSpanId: span.parentSpanId ? hexId(span.parentSpanId) : null,
                name: span.name,
                kind: span.kind ?? 0,
                links: (span.links ?? []).map((l) => ({ traceId: hexId(l.traceId), spanId: hexId(l.spanId) })),
                attributes: attributesOf(span.attributes),
                statusCode: span.status?.code ?? 0,
                startNs: BigInt(span.startTimeUnixNano ?? 0),
                endNs: BigInt(span.endTimeUnixNano ?? 0),
              });
            }
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"partialSuccess":{}}');
      } catch (error) {
        refused.push(`unreadable: ${(error as Error).message}`);
        response.writeHead(400).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    spans,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
