/**
 * The `media-ai` command line: analyze photos, serve the REST API, or pre-load models. Parses
 * arguments, builds the runtime (configuration errors end here with exit code 2) and dispatches.
 */
import { parseArgs } from 'node:util';
import { createRuntime, reportStartupError } from '../runtime.js';
import { analyze } from './analyze.js';
import { pullModels } from './models.js';
import { serve } from './serve.js';

const USAGE = `Usage:
  media-ai analyze <files|folders|urls...> [--json] [--annotate DIR] [--title T] [--description D]
      Enrich photos with the embedded pipeline (one post per photo) and print a summary per photo.
      --json        print the post.enhanced events instead
      --annotate    write copies of the photos with detected boxes and labels into DIR
  media-ai serve
      Run every stage in this process behind the REST API on HOST:PORT (default 0.0.0.0:8000).
  media-ai models
      Resolve and verify every model into AI_MODEL_CACHE_DIR (from AI_MODEL_SOURCE or upstream).

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
      return analyze(createRuntime({ logToStderr: true, env: quietByDefault() }), {
        inputs: positionals,
        json: values.json ?? false,
        annotateDir: values.annotate,
        title: values.title,
        description: values.description,
      });
    }
    case 'serve':
      return serve(createRuntime());
    case 'models':
      return pullModels(createRuntime({ logToStderr: true, env: quietByDefault() }));
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

/** Interactive commands print results; their logs stay at warnings unless LOG_LEVEL says more. */
function quietByDefault(): Record<string, string | undefined> {
  // eslint-disable-next-line no-restricted-syntax -- the process entry point is where env is read
  const env = process.env;
  return env.LOG_LEVEL ? env : { ...env, LOG_LEVEL: 'WARNING' };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(reportStartupError(error)),
);
