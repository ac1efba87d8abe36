/**
 * The schema registry as the codecs see it, and an in-process registry that behaves like
 * Confluent's for the embedded mode and tests (and backs the stand-in registry server). The
 * Confluent adapter (over @kafkajs/confluent-schema-registry) is confluent-schema-registry.ts.
 * A registry must never hand out two ids for the same schema, nor reuse an id for another one:
 * ids are written into every record and decoded years later.
 */
import { MediaAiError } from './errors.js';
import { explainUnreadable, parseAvroSchema, type AvroSchema } from './avro-types.js';
import type avro from 'avsc';

/**
 * What the codecs and the start-up need from a registry, shaped after the Confluent REST API so an
 * adapter is a thin mapping:
 * - `register(subject, schema)` -> `POST /subjects/{subject}/versions`, returning the global id;
 * - `lookup(subject, schema)` -> `POST /subjects/{subject}`: the id `schema` has under `subject`, or
 *   null when it is not registered there (Confluent: 404, error_code 40401 or 40403);
 * - `getSchema(id)` -> `GET /schemas/ids/{id}`, the writer schema as JSON.
 *
 * Pods only `lookup`: registering is the deploy step (`media-ai schemas register`), so a pod with
 * read-only registry credentials starts, and a rolled-back pod never registers an older schema.
 *
 * Contract for implementations: `getSchema` rejects with `MediaAiError('MEDIA_AI_UNKNOWN_SCHEMA')`
 * when the registry answers "not found" (Confluent: HTTP 404, error_code 40403) and with a
 * retryable error when the registry could not be asked (network, 5xx): the codecs cache the first
 * as a fact about the record and retry the second.
 */
export interface SchemaRegistryClient {
  /** Registers `schema` under `subject` (idempotent) and returns its global id. */
  register(subject: string, schema: object): Promise<number>;
  /** The id `schema` is registered with under `subject` (any version of it), or null when it is not. */
  lookup(subject: string, schema: object): Promise<number | null>;
  /** The schema (JSON) registered under `id`. */
  getSchema(id: number): Promise<object>;
}

/** Confluent's TopicNameStrategy for record values: `<topic>-value`. */
export function subjectForTopic(topic: string): string {
  return `${topic}-value`;
}

/**
 * Confluent's compatibility levels. BACKWARD: the new schema reads data written with the latest
 * version; FORWARD: the latest reads data written with the new one; FULL: both; *_TRANSITIVE: the
 * same against every earlier version. The project's topics use BACKWARD_TRANSITIVE (see
 * schemas/avro/README.md).
 */
export const SCHEMA_COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
export type SchemaCompatibility = (typeof SCHEMA_COMPATIBILITY_LEVELS)[number];

export function isSchemaCompatibility(value: unknown): value is SchemaCompatibility {
  return typeof value === 'string' && (SCHEMA_COMPATIBILITY_LEVELS as readonly string[]).includes(value);
}

export interface InProcessSchemaRegistryOptions {
  /** The global level (subjects without one of their own); defaults to BACKWARD_TRANSITIVE, the project's. */
  compatibility?: SchemaCompatibility;
}

/** One version of a subject, as `GET /subjects/{subject}/versions/{version}` describes it. */
export interface SubjectVersion {
  subject: string;
  /** 1, 2, ... in registration order. */
  version: number;
  id: number;
  schema: AvroSchema;
}

export interface CompatibilityResult {
  compatible: boolean;
  /** Why not, one line per version the schema cannot be resolved against. */
  messages: string[];
}

interface StoredSchema {
  id: number;
  canonical: string;
  schema: AvroSchema;
}

/**
 * Confluent semantics, in memory: ids are global and start at 1; the same schema gets the same id
 * under any subject (so registering again is free); each subject keeps an ordered list of versions
 * and may have a compatibility level of its own; a schema that is not valid Avro or breaks the
 * subject's compatibility is refused.
 */
export class InProcessSchemaRegistry implements SchemaRegistryClient {
  private globalCompatibility: SchemaCompatibility;
  private readonly subjectCompatibilities = new Map<string, SchemaCompatibility>();
  private readonly byId = new Map<number, StoredSchema>();
  private readonly byCanonical = new Map<string, StoredSchema>();
  private readonly subjects = new Map<string, StoredSchema[]>();

  constructor(options: InProcessSchemaRegistryOptions = {}) {
    this.globalCompatibility = options.compatibility ?? 'BACKWARD_TRANSITIVE';
  }

  async register(subject: string, schema: object): Promise<number> {
    if (!subject) throw new MediaAiError('MEDIA_AI_SCHEMA_REJECTED', 'A schema subject must not be empty');
    const type = parse(subject, schema);
    const canonical = canonicalJson(schema);
    const versions = this.subjects.get(subject) ?? [];
    const existing = versions.find((v) => v.canonical === canonical);
    if (existing) return existing.id;

    const level = this.compatibility(subject);
    const [problem] = incompatibilities(type, level, versions);
    if (problem) {
      throw new MediaAiError(
        'MEDIA_AI_SCHEMA_REJECTED',
        `Subject ${subject}: schema is not ${level} compatible with id ${problem.with.id}: ${problem.reason}`,
        {
          cause: problem.cause,
          details: { subject, reason: 'incompatible', incompatibleWithId: problem.with.id },
        },
      );
    }

    let stored = this.byCanonical.get(canonical);
    if (!stored) {
      stored = { id: this.byId.size + 1, canonical, schema: structuredClone(schema) as AvroSchema };
      this.byId.set(stored.id, stored);
      this.byCanonical.set(canonical, stored);
    }
    versions.push(stored);
    this.subjects.set(subject, versions);
    return stored.id;
  }

  async lookup(subject: string, schema: object): Promise<number | null> {
    return this.find(subject, schema)?.id ?? null;
  }

  /**
   * The version `schema` is registered as under `subject`, or undefined. Throws
   * MEDIA_AI_SCHEMA_REJECTED for a schema that is not valid Avro (Confluent answers 422 there too).
   */
  find(subject: string, schema: object): SubjectVersion | undefined {
    parse(subject, schema);
    const canonical = canonicalJson(schema);
    const versions = this.subjects.get(subject) ?? [];
    const index = versions.findIndex((v) => v.canonical === canonical);
    return index < 0 ? undefined : this.describe(subject, index);
  }

  async getSchema(id: number): Promise<object> {
    const stored = this.byId.get(id);
    if (!stored) {
      throw new MediaAiError('MEDIA_AI_UNKNOWN_SCHEMA', `Schema id ${id} is not registered`, { details: { schemaId: id } });
    }
    // A copy, so a caller cannot change what later readers get.
    return structuredClone(stored.schema);
  }

  /** Ids registered under `subject`, oldest version first (Confluent's version 1, 2, ...). */
  versions(subject: string): number[] {
    return (this.subjects.get(subject) ?? []).map((v) => v.id);
  }

  /** Version `version` (1-based) or the latest of `subject`; undefined when there is no such version. */
  subjectVersion(subject: string, version: number | 'latest'): SubjectVersion | undefined {
    const count = this.subjects.get(subject)?.length ?? 0;
    const index = version === 'latest' ? count - 1 : version - 1;
    return index >= 0 && index < count ? this.describe(subject, index) : undefined;
  }

  subjectNames(): string[] {
    return [...this.subjects.keys()].sort();
  }

  /** The level `subject` is checked with: its own, else the global one. Without a subject: the global one. */
  compatibility(subject?: string): SchemaCompatibility {
    return (subject !== undefined ? this.subjectCompatibilities.get(subject) : undefined) ?? this.globalCompatibility;
  }

  /** The level set on `subject` itself, if any (Confluent: `GET /config/{subject}` answers 404 otherwise). */
  subjectCompatibility(subject: string): SchemaCompatibility | undefined {
    return this.subjectCompatibilities.get(subject);
  }

  /** Sets the global level, or `subject`'s own. */
  setCompatibility(level: SchemaCompatibility, subject?: string): void {
    if (subject === undefined) this.globalCompatibility = level;
    else this.subjectCompatibilities.set(subject, level);
  }

  /**
   * Whether `schema` could be registered under `subject` (Confluent's compatibility test), without
   * registering it. `version` omitted: against what the subject's level checks at registration
   * (every version for *_TRANSITIVE, else the latest). `version` given: against that one version,
   * in the level's direction; undefined when the subject has no such version. A subject with no
   * versions accepts anything. Throws MEDIA_AI_SCHEMA_REJECTED for a schema that is not valid Avro.
   */
  testCompatibility(subject: string, schema: object, version?: number | 'latest'): CompatibilityResult | undefined {
    const type = parse(subject, schema);
    const versions = this.subjects.get(subject) ?? [];
    const level = this.compatibility(subject);
    let against = versions;
    if (version !== undefined && versions.length > 0) {
      const one = this.subjectVersion(subject, version);
      if (!one) return undefined;
      against = [versions[one.version - 1] as StoredSchema];
    }
    // A single chosen version is checked whatever the transitivity; `incompatibilities` narrows
    // non-transitive levels to the last entry, which is that version.
    const messages = incompatibilities(type, level, against).map((p) => {
      const at = versions.indexOf(p.with) + 1;
      return `Incompatible with version ${at} (id ${p.with.id}) under ${level}: ${p.reason}`;
    });
    return { compatible: messages.length === 0, messages };
  }

  private describe(subject: string, index: number): SubjectVersion {
    const stored = (this.subjects.get(subject) ?? [])[index] as StoredSchema;
    return { subject, version: index + 1, id: stored.id, schema: structuredClone(stored.schema) };
  }
}

function parse(subject: string, schema: object): avro.Type {
  try {
    return parseAvroSchema(schema);
  } catch (error) {
    throw new MediaAiError('MEDIA_AI_SCHEMA_REJECTED', `Subject ${subject}: not a valid Avro schema: ${(error as Error).message}`, {
      cause: error,
      details: { subject, reason: 'invalid_schema' },
    });
  }
}

interface Incompatibility {
  with: StoredSchema;
  reason: string;
  cause: unknown;
}

/** Which of `versions` (oldest first) `type` breaks under `level`, checked as Confluent does. */
function incompatibilities(type: avro.Type, level: SchemaCompatibility, versions: readonly StoredSchema[]): Incompatibility[] {
  if (level === 'NONE') return [];
  const against = level.endsWith('_TRANSITIVE') ? versions : versions.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const found: Incompatibility[] = [];
  for (const old of against) {
    const oldType = parseAvroSchema(old.schema);
    // Reader first: BACKWARD has the new schema read the old one's data, FORWARD the other way round.
    const checks: [avro.Type, avro.Type][] = [];
    if (backward) checks.push([type, oldType]);
    if (forward) checks.push([oldType, type]);
    for (const [reader, writer] of checks) {
      // avsc throws when a reader cannot resolve a writer: exactly Avro's schema-resolution rules.
      try {
        reader.createResolver(writer);
      } catch (error) {
        found.push({ with: old, reason: explainUnreadable(reader, writer) ?? (error as Error).message, cause: error });
        break;
      }
    }
  }
  return found;
}

/**
 * JSON with object keys sorted: key order and whitespace carry no meaning in Avro, so they must not
 * mint a new id (Confluent compares parsed schemas the same way). Array order (fields, symbols,
 * union branches) does carry meaning and is kept.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
