/**
 * `media-ai schemas check|register`: the CI gate that keeps schemas/avro evolvable, and the deploy
 * step that registers this release's Avro schemas with the schema registry. Stages never register
 * (they look their ids up at start-up and refuse to start without them), so this command is the
 * registry's only writer.
 * It must never register anything from a folder that breaks a rule, and never register an older
 * version over a newer one (a schema already held under its subject is left alone).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SchemaRegistrySettings } from '@media-ai/config';
import {
  ConfluentSchemaRegistryClient,
  DEFAULT_AVRO_SCHEMA_DIR,
  MediaAiError,
  checkAvroSchemaFolder,
  latestAvroSchemas,
  type AvroSchemaFile,
} from '@media-ai/contracts';

export const SCHEMAS_USAGE = `  media-ai schemas check [--dir DIR] [--registry]
      Check the Avro schemas in DIR (default schemas/avro): files named <topic>.v<N>.avsc that parse,
      versions v1..vN without gaps, each version BACKWARD_TRANSITIVE compatible with all earlier ones.
      --registry  also ask the registry at SCHEMA_REGISTRY_URL whether it accepts each newest version
  media-ai schemas register [--dir DIR]
      The deploy step: register the newest schema of every topic with the registry at
      SCHEMA_REGISTRY_URL (idempotent). Stages never register; they look their schema ids up at start.
`;

export interface SchemasCommandOptions {
  /** Configuration, loaded only by the subcommands that talk to the registry (an offline check needs none). */
  loadConfig: () => { kafka: { schemaRegistry?: SchemaRegistrySettings } };
  /** Where results and problems go (default: stdout and stderr). */
  out?: (text: string) => void;
  err?: (text: string) => void;
}

/** Runs `media-ai schemas <args>`; returns the exit code (0 ok, 1 a rule or the registry said no, 2 usage). */
export async function schemasCommand(args: string[], options: SchemasCommandOptions): Promise<number> {
  const out = options.out ?? ((text: string) => void process.stdout.write(text));
  const err = options.err ?? ((text: string) => void process.stderr.write(text));
  const [subcommand, ...rest] = args;
  let values: { dir?: string; registry?: boolean };
  try {
    ({ values } = parseArgs({ args: rest, allowPositionals: false, options: { dir: { type: 'string' }, registry: { type: 'boolean' } } }));
    if (subcommand !== 'check' && values.registry) throw new Error("Unknown option '--registry'");
  } catch (error) {
    err(`media-ai schemas ${subcommand ?? ''}: ${(error as Error).message}\n\nUsage:\n${SCHEMAS_USAGE}`);
    return 2;
  }
  if (subcommand !== 'check' && subcommand !== 'register') {
    err(`${subcommand ? `Unknown schemas command: ${subcommand}\n\n` : ''}Usage:\n${SCHEMAS_USAGE}`);
    return 2;
  }
  const dir = values.dir !== undefined ? path.resolve(values.dir) : DEFAULT_AVRO_SCHEMA_DIR;
  const shownDir = typeof dir === 'string' ? dir : 'schemas/avro';
  const log = { out, err: (line: string) => err(`media-ai schemas ${subcommand}: ${line}\n`) };

  const report = await checkAvroSchemaFolder(dir);
  for (const problem of report.problems) log.err(problem);
  const latest = [...latestAvroSchemas(report.files).values()];

  if (subcommand === 'check') {
    let problems = report.problems.length;
    if (problems === 0) {
      for (const file of latest) out(`ok  ${column(latest, 'topic', file)}  ${file.version === 1 ? 'v1' : `v1..v${file.version}`}\n`);
    }
    if (values.registry) {
      const registry = connect(options, log);
      if (!registry) return 2;
      problems += await checkWithRegistry(registry, latest, log);
    }
    if (problems > 0) {
      log.err(`${problems} problem${problems === 1 ? '' : 's'} in ${shownDir}`);
      return 1;
    }
    out(`${shownDir}: ${latest.length} topics, ${report.files.length} files; names, versions and BACKWARD_TRANSITIVE compatibility ok\n`);
    return 0;
  }

  if (report.problems.length > 0) {
    log.err(`nothing registered: fix ${shownDir} first (media-ai schemas check)`);
    return 1;
  }
  const registry = connect(options, log);
  if (!registry) return 2;
  return register(registry, latest, log);
}

interface Log {
  out: (text: string) => void;
  err: (line: string) => void;
}

function connect(options: SchemasCommandOptions, log: Log): ConfluentSchemaRegistryClient | undefined {
  const settings = options.loadConfig().kafka.schemaRegistry;
  if (!settings) {
    log.err('SCHEMA_REGISTRY_URL is not set (and SCHEMA_REGISTRY_USERNAME / SCHEMA_REGISTRY_PASSWORD for Confluent Cloud)');
    return undefined;
  }
  return new ConfluentSchemaRegistryClient(settings);
}

/** Registers what the subject does not hold yet; returns the exit code. */
async function register(registry: ConfluentSchemaRegistryClient, latest: readonly AvroSchemaFile[], log: Log): Promise<number> {
  let refused = 0;
  for (const file of latest) {
    try {
      // Looking up first keeps a rerun (or a rollback to an older release) from changing anything:
      // a schema held under any version of its subject is left as it is.
      const held = await registry.lookup(file.subject, file.schema);
      if (held !== null) {
        log.out(`already registered  ${column(latest, 'subject', file)}  ${file.fileName}  id ${held}\n`);
        continue;
      }
      const id = await registry.register(file.subject, file.schema);
      log.out(`registered          ${column(latest, 'subject', file)}  ${file.fileName}  id ${id}\n`);
    } catch (error) {
      if (!(error instanceof MediaAiError) || error.code !== 'MEDIA_AI_SCHEMA_REJECTED') {
        log.err(`${file.subject}: ${(error as Error).message}`);
        log.err(`stopped: the registry at ${registry.url} could not be used`);
        return 1;
      }
      refused += 1;
      log.err(`${file.topic}: ${file.fileName} refused: ${error.message}`);
    }
  }
  if (refused > 0) {
    log.err(`${refused} schema${refused === 1 ? '' : 's'} refused by ${registry.url}`);
    return 1;
  }
  return 0;
}

/** Asks the registry whether it would accept each newest version; returns the number of refusals. */
async function checkWithRegistry(registry: ConfluentSchemaRegistryClient, latest: readonly AvroSchemaFile[], log: Log): Promise<number> {
  let problems = 0;
  for (const file of latest) {
    try {
      const verdict = await registry.testCompatibility(file.subject, file.schema);
      if (verdict.compatible) {
        log.out(`ok  ${column(latest, 'topic', file)}  v${file.version} accepted by ${registry.url} (${file.subject})\n`);
        continue;
      }
      problems += 1;
      const why = verdict.messages.length > 0 ? verdict.messages.join('; ') : 'no reason given';
      log.err(
        `${file.topic}: v${file.version} (${file.fileName}) is not compatible with what ${registry.url} holds for ${file.subject}: ${why}`,
      );
    } catch (error) {
      problems += 1;
      log.err(`${file.topic}: ${(error as Error).message}`);
      if (!(error instanceof MediaAiError) || error.code !== 'MEDIA_AI_SCHEMA_REJECTED') return problems;
    }
  }
  return problems;
}

/** `file`'s topic or subject padded to the longest of `files`, so the lines read as a table. */
function column(files: readonly AvroSchemaFile[], key: 'topic' | 'subject', file: AvroSchemaFile): string {
  return file[key].padEnd(Math.max(...files.map((f) => f[key].length)));
}
