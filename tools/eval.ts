// `npm run eval -- <manifest.json>`: quality figures of the embedded pipeline on labelled photos.
import { runEval } from '@media-ai/pipeline';
import { createRuntime } from '@media-ai/runtime';

const manifest = process.argv[2];
if (!manifest) {
  process.stderr.write('usage: npm run eval -- <manifest.json>   (photos beside the manifest)\n');
  process.exit(2);
}
const env = process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' };
await runEval(createRuntime({ logToStderr: true, env }), manifest);
process.exit(0);
