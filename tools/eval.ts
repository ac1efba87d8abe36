// `npm run eval -- <manifest.json> [--matrix | --json]`: quality figures of the embedded pipeline on
// labelled photos; --matrix runs every configuration (OCR engine, detector models, no model mirror)
// in its own process and prints them side by side.
import { runEval, runEvalMatrix } from '@media-ai/pipeline';
import { createRuntime } from '@media-ai/runtime';

const args = process.argv.slice(2);
const manifest = args.find((a) => !a.startsWith('--'));
if (!manifest) {
  process.stderr.write('usage: npm run eval -- <manifest.json> [--matrix | --json]   (photos beside the manifest)\n');
  process.exit(2);
}
const env = process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' };
if (args.includes('--matrix')) {
  await runEvalMatrix(manifest, { script: process.argv[1]!, execArgv: process.execArgv, baseEnv: env });
} else {
  await runEval(createRuntime({ logToStderr: true, env }), manifest, { json: args.includes('--json') });
}
process.exit(0);
