/**
 * Reads the versioned Avro schemas of the internal topics (schemas/avro/<topic>.v<N>.avsc), checks
 * the folder's evolution rules (what `media-ai schemas check` runs in CI), registers the newest
 * version of each topic (the deploy step and the embedded mode) and resolves their ids by lookup
 * (what pods do at start-up).
 * It must never register an older version over a newer one, nor start with a schema file it cannot
 * parse or a schema the registry does not hold: those fail start-up loudly instead of every record
 * later.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MediaAiError } from './errors.js';
import { explainUnreadable, parseAvroSchema, type AvroSchema } from './avro-types.js';
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
  const files: AvroSchemaFile[] = [];
  for (const fileName of await avscFileNames(path)) files.push(await readAvroSchemaFile(path, fileName));
  return sortFiles(files);
}

async function avscFileNames(path: string): Promise<string[]> {
  return (await readdir(path)).filter((n) => n.endsWith('.avsc')).sort();
}

function sortFiles(files: AvroSchemaFile[]): AvroSchemaFile[] {
  return files.sort((a, b) => a.topic.localeCompare(b.topic) || a.version - b.version);
}

async function readAvroSchemaFile(path: string, fileName: string): Promise<AvroSchemaFile> {
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
    throw new MediaAiError('MEDIA_AI_SCHEMA_REJECTED', `${fileName}: not a valid Avro schema: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const topic = match.groups['topic'] as string;
  return { topic, version: Number(match.groups['version']), subject: subjectForTopic(topic), schema, fileName };
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
  const [first] = backwardTransitiveProblems(files);
  if (first) {
    throw new MediaAiError(
      'MEDIA_AI_SCHEMA_REJECTED',
      `${first.reader.fileName} cannot read data written with ${first.writer.fileName}: ${first.reason}`,
      {
        cause: first.cause,
      },
    );
  }
}

interface ReadProblem {
  reader: AvroSchemaFile;
  writer: AvroSchemaFile;
  reason: string;
  cause: unknown;
}

function byTopic(files: readonly AvroSchemaFile[]): Map<string, AvroSchemaFile[]> {
  const topics = new Map<string, AvroSchemaFile[]>();
  for (const f of files) topics.set(f.topic, [...(topics.get(f.topic) ?? []), f]);
  for (const versions of topics.values()) versions.sort((a, b) => a.version - b.version);
  return topics;
}

/** Every (newer reader, older writer) pair of a topic that avsc cannot resolve. */
function backwardTransitiveProblems(files: readonly AvroSchemaFile[]): ReadProblem[] {
  const problems: ReadProblem[] = [];
  for (const versions of byTopic(files).values()) {
    versions.forEach((reader, i) => {
      const readerType = parseAvroSchema(reader.schema);
      for (const writer of versions.slice(0, i)) {
        const writerType = parseAvroSchema(writer.schema);
        try {
          readerType.createResolver(writerType);
        } catch (error) {
          problems.push({ reader, writer, reason: explainUnreadable(readerType, writerType) ?? (error as Error).message, cause: error });
        }
      }
    });
  }
  return problems;
}

export interface AvroSchemaFolderReport {
  /** The files that parsed, sorted by topic then version. */
  files: AvroSchemaFile[];
  /** One line per broken rule, naming the topic or file; empty when the folder may be deployed. */
  problems: string[];
}

/**
 * Every rule of schemas/avro/README.md over a folder, reporting all problems rather than the first:
 * files are named `<topic>.v<N>.avsc` and parse as Avro; each topic's versions run v1, v2, ...
 * without gaps (a gap usually means a lost file, whose data the newest must still read); and each
 * version reads what every earlier one wrote (BACKWARD_TRANSITIVE, by avsc's resolvers).
 */
export async function checkAvroSchemaFolder(dir: URL | string = DEFAULT_AVRO_SCHEMA_DIR): Promise<AvroSchemaFolderReport> {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const files: AvroSchemaFile[] = [];
  const problems: string[] = [];
  let names: string[];
  try {
    names = await avscFileNames(path);
  } catch (error) {
    return { files, problems: [`${path}: cannot read the schema folder: ${(error as Error).message}`] };
  }
  for (const fileName of names) {
    try {
      files.push(await readAvroSchemaFile(path, fileName));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  sortFiles(files);
  for (const [topic, versions] of byTopic(files)) {
    const found = versions.map((f) => f.version);
    const expected = found.map((_, i) => i + 1);
    if (found.some((v, i) => v !== expected[i])) {
      const missing = Array.from({ length: Math.max(...found) }, (_, i) => i + 1).filter((v) => !found.includes(v));
      problems.push(
        `${topic}: versions must run v1, v2, ... without gaps; found ${found.map((v) => `v${v}`).join(', ')} (missing ${missing.map((v) => `v${v}`).join(', ')})`,
      );
    }
  }
  for (const p of backwardTransitiveProblems(files)) {
    problems.push(
      `${p.reader.topic}: v${p.reader.version} (${p.reader.fileName}) cannot read data written with v${p.writer.version} (${p.writer.fileName}), ` +
        `so it is not BACKWARD_TRANSITIVE compatible: ${p.reason}`,
    );
  }
  if (names.length === 0) problems.push(`${path}: no .avsc files`);
  return { files, problems };
}

export interface RegisterSchemasOptions {
  /** Schemas to register; defaults to `loadAvroSchemas()` of the repository folder. */
  schemas?: readonly AvroSchemaFile[];
}

/**
 * Registers the newest schema of each topic under `<topic>-value` and returns topic -> schema id,
 * the map `createCodecs` takes. Idempotent: registering an existing schema returns its id. Used by
 * the deploy step (`media-ai schemas register`) and the embedded mode's in-process registry; pods
 * on a shared registry use `resolveSchemaIds` instead.
 */
export async function registerSchemas(
  registry: SchemaRegistryClient,
  options: RegisterSchemasOptions = {},
): Promise<Record<string, number>> {
  const files = options.schemas ?? (await loadAvroSchemas());
  const ids: Record<string, number> = {};
  for (const file of latestAvroSchemas(files).values()) {
    ids[file.topic] = await registry.register(file.subject, file.schema);
  }
  return ids;
}

/**
 * The same topic -> schema id map as `registerSchemas`, by lookup only: what a pod does at start-up.
 * Registering is the deploy step (`media-ai schemas register`), so a pod needs only read access to
 * the registry and a rolled-back pod can never register its older schema as the newest version.
 * Fails with MEDIA_AI_SCHEMA_NOT_REGISTERED, naming every missing subject, when the deploy step has
 * not run for this release's schemas; registry outages surface as the registry's retryable error.
 */
export async function resolveSchemaIds(
  registry: SchemaRegistryClient,
  options: RegisterSchemasOptions = {},
): Promise<Record<string, number>> {
  const files = [...latestAvroSchemas(options.schemas ?? (await loadAvroSchemas())).values()];
  const found = await Promise.all(files.map(async (file) => ({ file, id: await registry.lookup(file.subject, file.schema) })));
  const missing = found.filter((f) => f.id === null).map((f) => f.file);
  if (missing.length > 0) {
    const list = missing.map((f) => `${f.subject} (${f.fileName})`).join(', ');
    throw new MediaAiError(
      'MEDIA_AI_SCHEMA_NOT_REGISTERED',
      `The schema registry does not hold this release's schema for ${list}. ` +
        'Run `media-ai schemas register` against this registry (the deploy step) before starting the stages.',
      { details: { subjects: missing.map((f) => f.subject).join(',') } },
    );
  }
  return Object.fromEntries(found.map(({ file, id }) => [file.topic, id as number]));
}
