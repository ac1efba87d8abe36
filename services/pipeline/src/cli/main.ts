/**
 * The `media-ai` command line: analyze photos, serve the REST API, run one stage as a service,
 * pre-load models, or check and register the Avro schemas. Parses arguments, builds the runtime
 * (configuration errors end here with exit code 2) and dispatches. Each command's code is loaded
 * only when it runs, so `schemas check` in CI does not load models, tesseract or every stage, and
 * `stage` can start tracing before anything loads kafkajs (its instrumentation patches it on load).
 */
import { parseArgs } from 'node:util';
import { tracingConfigFrom } from '@media-ai/config';
import { startTracing } from '@media-ai/telemetry';
import { SCHEMAS_USAGE } from './schemas.js';

/** The process runtime, loaded on demand (it pulls in every transport, kafkajs included). */
async function createRuntime(options?: Parameters<typeof import('@media-ai/runtime').createRuntime>[0]) {
  const runtime = await import('@media-ai/runtime');
  return runtime.createRuntime(options);
}

const USAGE = `Usage:
  media-ai analyze <files|folders|urls...> [--json] [--annotate DIR] [--title T] [--description D]
      Enrich photos with the embedded pipeline (one post per photo) and print a summary per photo.
      --json        print the post.enhanced events instead
      --annotate    write copies of the photos with detected boxes and labels into DIR
  media-ai match <lost photos|post.enhanced .json...> --against <found photos|folders|.json...> [--json] [--limit N]
      Rank the found posts for each lost one by the reference matcher's fused score, with its reasons.
      Photos are enriched first (one post per photo); a .json file holds post.enhanced events.
  media-ai serve
      Run every stage in this process behind the REST API on HOST:PORT (default 0.0.0.0:8000).
      Photos are scanned for malware by clamd (CLAMAV_HOST:CLAMAV_PORT or CLAMAV_SOCKET) unless
      SCAN_FOR_MALWARE=false.
  media-ai stage <fetcher|detector|ocr|llm|aggregator>
      Run one stage as its own service over Kafka (MEDIA_AI_TRANSPORT=kafka, KAFKA_*, SCHEMA_REGISTRY_URL),
      with health and metrics on HOST:PORT: what each deployment of the Helm chart runs.
  media-ai models [pull]
      Resolve and verify every model into AI_MODEL_CACHE_DIR (from AI_MODEL_SOURCE or upstream).
  media-ai models validate [--runs N]
      Run every model on the built-in check image: output shapes and known answers (exit 1 on a failure).
  media-ai models info [--runs N]
      Every model's name, version, licence, size, input shape, execution provider, latency and sha256.
${SCHEMAS_USAGE}
Configuration comes from the environment (see README: AI_MODEL_SOURCE, OPENAI_API_KEY, PORT, ...).
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'analyze': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          json: { type: 'boolean', default: false },
          annotate: { type: 'string' },
          title: { type: 'string' },
          description: { type: 'string' },
        },
      });
      if (positionals.length === 0) {
        process.stderr.write(USAGE);
        return 2;
      }
      const { analyze } = await import('./analyze.js');
      return analyze(await createRuntime({ logToStderr: true, env: quietByDefault() }), {
        inputs: positionals,
        json: values.json ?? false,
        annotateDir: values.annotate,
        title: values.title,
        description: values.description,
      });
    }
    case 'match': {
      // Everything after --against is a candidate, so a shell glob expands into the right list.
      const split = rest.indexOf('--against');
      const options = { json: { type: 'boolean', default: false }, limit: { type: 'string', default: '5' } } as const;
      const before = parseArgs({ args: split < 0 ? rest : rest.slice(0, split), allowPositionals: true, options });
      const after = parseArgs({ args: split < 0 ? [] : rest.slice(split + 1), allowPositionals: true, options });
      const limit = Number(after.values.limit !== '5' ? after.values.limit : before.values.limit);
      if (before.positionals.length === 0 || after.positionals.length === 0 || !Number.isInteger(limit) || limit < 1) {
        process.stderr.write(USAGE);
        return 2;
      }
      const { matchCommand } = await import('./match.js');
      return matchCommand(await createRuntime({ logToStderr: true, env: quietByDefault() }), {
        lost: before.positionals,
        against: after.positionals,
        json: Boolean(before.values.json || after.values.json),
        limit,
      });
    }
    case 'serve': {
      // Spans of every stage in this process (downloads, inference, OpenAI) when OTEL_EXPORTER_OTLP_ENDPOINT is set.
      // eslint-disable-next-line no-restricted-syntax -- the process entry point is where env is read
      const tracing = await startTracing(tracingConfigFrom(process.env, 'pipeline'));
      const { serve } = await import('./serve.js');
      const code = await serve(await createRuntime({ env: scanningByDefault() }));
      await tracing.shutdown();
      return code;
    }
    case 'stage': {
      const { runStageCommand } = await import('./stage.js');
      return runStageCommand(rest, USAGE);
    }
    case 'models': {
      const { modelsCommand } = await import('./models.js');
      return modelsCommand(rest, await createRuntime({ logToStderr: true, env: quietByDefault() }));
    }
    case 'schemas': {
      const { schemasCommand } = await import('./schemas.js');
      const runtime = await import('@media-ai/runtime');
      return schemasCommand(rest, { loadConfig: () => runtime.createRuntime({ logToStderr: true, env: quietByDefault() }).config });
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

/**
 * `serve` takes photos from the network (uploads, URLs), so it scans them in every environment unless
 * SCAN_FOR_MALWARE says otherwise; elsewhere development leaves scanning off by default (libs/config).
 */
function scanningByDefault(): Record<string, string | undefined> {
  // eslint-disable-next-line no-restricted-syntax -- the process entry point is where env is read
  const env = process.env;
  return env.SCAN_FOR_MALWARE?.trim() ? env : { ...env, SCAN_FOR_MALWARE: 'true' };
}

/** Interactive commands print results; their logs stay at warnings unless LOG_LEVEL says more. */
function quietByDefault(): Record<string, string | undefined> {
  // eslint-disable-next-line no-restricted-syntax -- the process entry point is where env is read
  const env = process.env;
  return env.LOG_LEVEL ? env : { ...env, LOG_LEVEL: 'WARNING' };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: unknown) => process.exit((await import('@media-ai/runtime')).reportStartupError(error)),
);
