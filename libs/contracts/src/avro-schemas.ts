/**
 * Reads the versioned Avro schemas of the internal topics (schemas/avro/<topic>.v<N>.avsc) and
 * registers the newest version of each with a schema registry at start-up.
 * It must never register an older version over a newer one, nor start with a schema file it cannot
 * parse: a bad file fails start-up loudly instead of failing every record later.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MediaAiError } from './errors.js';
import { parseAvroSchema, type AvroSchema } from './avro-types.js';
import { subjectForTopic, type SchemaRegistryClient } from './schema-registry.js';

/**
 * The repository's schemas/avro folder. This module sits at libs/contracts/src/ (tests, tsx) or at
 * libs/contracts/dist/ (built): both are three levels below the repository root, so one relative
 * URL serves both.
 */
export const DEFAULT_AVRO_SCHEMA_DIR: URL = new URL('../../../schemas/avro/', import.meta.url);

export interface AvroSchemaFile {
  /** Kafka topic the schema describes, e.g. `media-ai.posts`. */
  topic: string;
  /** The N of `.v<N>.avsc`. */
  version: number;
  /** Registry subject (`<topic>-value`). */
  subject: string;
  schema: AvroSchema;
  fileName: string;
}

const FILE_NAME = /^(?<topic>.+)\.v(?<version>[1-9]\d*)\.avsc$/;

/**
 * Every .avsc file of `dir`, parsed and checked, sorted by topic then version.
 * Other files (README.md) are ignored; an .avsc file that does not follow the naming rule is an error.
 */
export async function loadAvroSchemas(dir: URL | string = DEFAULT_AVRO_SCHEMA_DIR): Promise<AvroSchemaFile[]> {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const names = (await readdir(path)).filter((n) => n.endsWith('.avsc')).sort();
  const files: AvroSchemaFile[] = [];
  for (const fileName of names) {
    const match = FILE_NAME.exec(fileName);
    if (!match?.groups) {
      throw new MediaAiError('MEDIA_AI_SCHEMA_REJECTED', `${fileName}: Avro schema files must be named <topic>.v<N>.avsc`);
    }
    const text = await readFile(join(path, fileName), 'utf8');
    let schema: AvroSchema;
    try {
      schema = JSON.parse(text) as AvroSchema;
      parseAvroSchema(schema);
    } catch (error) {
      throw new MediaAiError('MEDIA_AI_SCHEMA_REJECTED', `${fileName}: not a valid Avro schema: ${(error as Error).message}`, { cause: error });
    }
    const topic = match.groups['topic'] as string;
    files.push({ topic, version: Number(match.groups['version']), subject: subjectForTopic(topic), schema, fileName });
  }
  return files.sort((a, b) => a.topic.localeCompare(b.topic) || a.version - b.version);
}

/** The highest version of each topic. */
export function latestAvroSchemas(files: readonly AvroSchemaFile[]): Map<string, AvroSchemaFile> {
  const latest = new Map<string, AvroSchemaFile>();
  for (const file of files) {
    const current = latest.get(file.topic);
    if (!current || file.version > current.version) latest.set(file.topic, file);
  }
  return latest;
}

/**
 * Throws unless, for every topic, each version can read data written with every earlier version
 * (BACKWARD_TRANSITIVE). CI runs this over the real folder so a breaking change fails before deploy.
 */
export function assertBackwardTransitive(files: readonly AvroSchemaFile[]): void {
  const byTopic = new Map<string, AvroSchemaFile[]>();
  for (const f of files) byTopic.set(f.topic, [...(byTopic.get(f.topic) ?? []), f]);
  for (const versions of byTopic.values()) {
    const sorted = [...versions].sort((a, b) => a.version - b.version);
    sorted.forEach((reader, i) => {
      const readerType = parseAvroSchema(reader.schema);
      for (const writer of sorted.slice(0, i)) {
        try {
          readerType.createResolver(parseAvroSchema(writer.schema));
        } catch (error) {
          throw new MediaAiError(
            'MEDIA_AI_SCHEMA_REJECTED',
            `${reader.fileName} cannot read data written with ${writer.fileName}: ${(error as Error).message}`,
            { cause: error },
          );
        }
      }
    });
  }
}

export interface RegisterSchemasOptions {
  /** Schemas to register; defaults to `loadAvroSchemas()` of the repository folder. */
  schemas?: readonly AvroSchemaFile[];
}

/**
 * Registers the newest schema of each topic under `<topic>-value` and returns topic -> schema id,
 * the map `createCodecs` takes. Safe to call at every start-up: registering an existing schema
 * returns its id.
 */
export async function registerSchemas(registry: SchemaRegistryClient, options: RegisterSchemasOptions = {}): Promise<Record<string, number>> {
  const files = options.schemas ?? (await loadAvroSchemas());
  const ids: Record<string, number> = {};
  for (const file of latestAvroSchemas(files).values()) {
    ids[file.topic] = await registry.register(file.subject, file.schema);
  }
  return ids;
}
