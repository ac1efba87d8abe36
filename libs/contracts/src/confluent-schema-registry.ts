/**
 * The production SchemaRegistryClient: a Confluent Schema Registry (self-hosted, or Confluent Cloud
 * with basic auth) through @kafkajs/confluent-schema-registry. Its job is mapping the registry's
 * answers onto the error catalogue: "not found" is a fact about a record (MEDIA_AI_UNKNOWN_SCHEMA,
 * which the codecs cache), anything else means the registry could not be asked
 * (MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE, retryable, never cached).
 * It must never report an outage as "not found" (that would dead-letter good records), and never
 * put the credentials into an error or a log line.
 */
import { createRequire } from 'node:module';
import type * as RegistryLibrary from '@kafkajs/confluent-schema-registry';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { MediaAiError } from './errors.js';
import type { CompatibilityResult, SchemaCompatibility, SchemaRegistryClient } from './schema-registry.js';

export interface ConfluentSchemaRegistryClientOptions {
  /** Base URL of the registry (SCHEMA_REGISTRY_URL). */
  url: string;
  /** Basic auth (Confluent Cloud: the schema registry API key and secret). */
  username?: string;
  password?: string;
  /**
   * The level `register` gives a subject it creates (default BACKWARD_TRANSITIVE, the project's
   * rule). The library refuses to register under a subject already configured with another level.
   */
  compatibility?: SchemaCompatibility;
  /** Per HTTP request (default 10 s): a registry that hangs would otherwise stall decoding for good. */
  requestTimeoutMs?: number;
  /**
   * Retries of a failed GET inside one call, 100 ms apart and doubling (default 2). Kept small: the
   * stream runner retries the record anyway, and a long wait here holds a whole batch.
   */
  retries?: number;
  /** Appears in the User-Agent, to tell our traffic apart in the registry's logs. */
  clientId?: string;
}

const require = createRequire(import.meta.url);
let library: typeof RegistryLibrary | undefined;
/**
 * The library (with avsc's and mappersmith's modules, ~9 MB of RSS) loaded by the first client, not
 * by this module: every process imports @media-ai/contracts, and only the stage services ask a registry.
 */
function registryLibrary(): typeof RegistryLibrary {
  library ??= require('@kafkajs/confluent-schema-registry') as typeof RegistryLibrary;
  return library;
}

/** What a route of the library's REST client (mappersmith) answers, and how it fails. */
interface RestResponse {
  data(): unknown;
}
type Route = (params: Record<string, unknown>) => Promise<RestResponse>;
interface RestClient {
  Schema: { find: Route };
  Subject: { registered: Route; compatible: Route };
}

/**
 * @kafkajs/confluent-schema-registry 3.9 builds one REST client with every route we need, but its
 * public methods do not fit three of our calls: `getSchema` returns an avsc Type whose re-exported
 * JSON drops enum defaults and docs (the reader schema needs them to resolve older writers),
 * `getRegistryIdBySchema` turns every 404 into an error without its status, and there is no
 * compatibility test. Those three go through the same client (same auth, timeout, retries and
 * error shape), which the library keeps in its `api` field; the constructor checks it is there,
 * so a library upgrade that moves it fails at start-up, not at the first record.
 */
function restClientOf(registry: SchemaRegistry): RestClient {
  const api = (registry as unknown as { api?: Partial<RestClient> }).api;
  if (
    typeof api?.Schema?.find !== 'function' ||
    typeof api.Subject?.registered !== 'function' ||
    typeof api.Subject.compatible !== 'function'
  ) {
    throw new Error(
      '@kafkajs/confluent-schema-registry no longer exposes its REST client as `api`; check the adapter against the installed version',
    );
  }
  return api as RestClient;
}

export class ConfluentSchemaRegistryClient implements SchemaRegistryClient {
  /** The registry's origin and path, without credentials: safe for messages. */
  readonly url: string;
  private readonly client: SchemaRegistry;
  private readonly rest: RestClient;
  private readonly compatibility: SchemaCompatibility;

  constructor(options: ConfluentSchemaRegistryClientOptions) {
    const parsed = new URL(options.url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`Schema registry URL must be http(s), got ${parsed.protocol}`);
    }
    parsed.username = '';
    parsed.password = '';
    this.url = parsed.toString().replace(/\/+$/, '');
    this.compatibility = options.compatibility ?? 'BACKWARD_TRANSITIVE';
    const timeout = options.requestTimeoutMs ?? 10_000;
    this.client = new (registryLibrary().SchemaRegistry)({
      host: this.url,
      clientId: options.clientId ?? 'media-ai',
      ...(options.username !== undefined ? { auth: { username: options.username, password: options.password ?? '' } } : {}),
      // Every field spelled out: the library merges these into a module-level default object, so a
      // field left out would be whatever the last client created in this process set.
      retry: { retries: options.retries ?? 2, initialRetryTimeInSecs: 0.1, multiplier: 2, factor: 0.2, maxRetryTimeInSecs: 2 },
      middlewares: [() => ({ prepareRequest: (next) => next().then((request) => request.enhance({ timeout })) })],
    });
    this.rest = restClientOf(this.client);
  }

  async register(subject: string, schema: object): Promise<number> {
    try {
      const { id } = await this.client.register(
        { type: registryLibrary().SchemaType.AVRO, schema: JSON.stringify(schema) },
        { subject, compatibility: registryLibrary().COMPATIBILITY[this.compatibility] },
      );
      return id;
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      const status = statusOf(error);
      if (name === 'ConfluentSchemaRegistryCompatibilityError') {
        throw new MediaAiError(
          'MEDIA_AI_SCHEMA_REJECTED',
          `Subject ${subject} has a compatibility level of its own that is not ${this.compatibility} (${(error as Error).message}); ` +
            `set it with PUT ${this.url}/config/${encodeURIComponent(subject)} {"compatibility":"${this.compatibility}"}`,
          { cause: error, details: { subject, reason: 'compatibility_level' } },
        );
      }
      if (status === 409 || status === 422 || name === 'ConfluentSchemaRegistryArgumentError') {
        const reason = status === 409 ? 'incompatible' : 'invalid_schema';
        throw new MediaAiError(
          'MEDIA_AI_SCHEMA_REJECTED',
          `Subject ${subject}: the registry refused the schema (${reason}): ${messageOf(error)}`,
          {
            cause: error,
            details: { subject, reason },
          },
        );
      }
      throw this.unavailable(`register under ${subject}`, error);
    }
  }

  async lookup(subject: string, schema: object): Promise<number | null> {
    try {
      const response = await this.rest.Subject.registered({ subject, body: { schema: JSON.stringify(schema) } });
      return idOf(response.data(), `lookup under ${subject}`);
    } catch (error) {
      // 40401 (no such subject) and 40403 (not under this subject) both mean "not registered here".
      if (statusOf(error) === 404) return null;
      if (statusOf(error) === 422) {
        throw new MediaAiError(
          'MEDIA_AI_SCHEMA_REJECTED',
          `Subject ${subject}: the registry calls the schema invalid: ${messageOf(error)}`,
          {
            cause: error,
            details: { subject, reason: 'invalid_schema' },
          },
        );
      }
      throw this.unavailable(`lookup under ${subject}`, error);
    }
  }

  async getSchema(id: number): Promise<object> {
    let data: unknown;
    try {
      data = (await this.rest.Schema.find({ id })).data();
    } catch (error) {
      if (statusOf(error) === 404) {
        throw new MediaAiError('MEDIA_AI_UNKNOWN_SCHEMA', `Schema id ${id} is not registered with ${this.url}`, {
          cause: error,
          details: { schemaId: id },
        });
      }
      throw this.unavailable(`get schema id ${id}`, error);
    }
    const { schema, schemaType } = (data ?? {}) as { schema?: unknown; schemaType?: unknown };
    // The registry holds JSON Schema and Protobuf too; an id of one of those is not ours to read.
    if (schemaType !== undefined && schemaType !== 'AVRO') {
      throw new MediaAiError('MEDIA_AI_UNKNOWN_SCHEMA', `Schema id ${id} is a ${String(schemaType)} schema, not Avro`, {
        details: { schemaId: id },
      });
    }
    if (typeof schema !== 'string') throw this.unavailable(`get schema id ${id}`, new Error('the answer has no schema text'));
    try {
      return JSON.parse(schema) as object;
    } catch (error) {
      throw new MediaAiError('MEDIA_AI_UNKNOWN_SCHEMA', `Schema id ${id} is not JSON: ${(error as Error).message}`, {
        cause: error,
        details: { schemaId: id },
      });
    }
  }

  /**
   * Whether the registry would accept `schema` as the next version of `subject`, judged by the
   * registry itself at the subject's own level (`POST /compatibility/subjects/{subject}/versions/latest`).
   * A subject the registry does not have yet accepts anything (newer registries answer so; older
   * ones answer 404, read the same way).
   */
  async testCompatibility(subject: string, schema: object): Promise<CompatibilityResult> {
    try {
      const response = await this.rest.Subject.compatible({
        subject,
        version: 'latest',
        verbose: true,
        body: { schema: JSON.stringify(schema) },
      });
      const data = response.data() as { is_compatible?: unknown; messages?: unknown };
      if (typeof data?.is_compatible !== 'boolean') throw new Error('the answer has no is_compatible');
      const messages = Array.isArray(data.messages) ? data.messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))) : [];
      return { compatible: data.is_compatible, messages };
    } catch (error) {
      if (statusOf(error) === 404) return { compatible: true, messages: [] };
      if (statusOf(error) === 422) {
        throw new MediaAiError(
          'MEDIA_AI_SCHEMA_REJECTED',
          `Subject ${subject}: the registry calls the schema invalid: ${messageOf(error)}`,
          {
            cause: error,
            details: { subject, reason: 'invalid_schema' },
          },
        );
      }
      throw this.unavailable(`test compatibility under ${subject}`, error);
    }
  }

  private unavailable(what: string, error: unknown): MediaAiError {
    const status = statusOf(error);
    const why =
      status === 401 || status === 403
        ? `refused the credentials (HTTP ${status}); check SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD`
        : status !== undefined && status >= 500
          ? `failed (HTTP ${status}): ${messageOf(error)}`
          : `could not be asked: ${messageOf(error)}`;
    return new MediaAiError('MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE', `Schema registry ${this.url} ${why} (${what})`, {
      cause: error,
      details: status !== undefined ? { status } : {},
    });
  }
}

/**
 * The HTTP status the library's ResponseError carries. A network failure or a timeout arrives as a
 * client-side 400 from mappersmith, which can only ever mean "unavailable" here.
 */
function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

function messageOf(error: unknown): string {
  // The library prefixes its client id ("media-ai - Schema not found"): noise in our messages.
  return (error instanceof Error ? error.message : String(error)).replace(/^media-ai - /, '');
}

function idOf(data: unknown, what: string): number {
  const id = (data as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'number' || !Number.isInteger(id)) throw new Error(`${what}: the registry's answer has no integer id`);
  return id;
}
