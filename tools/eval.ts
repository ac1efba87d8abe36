// `npm run eval -- --decisions <file>`: reliability by tier from the review desk's human labels (the
// decisions of GET /review/api/decisions, or media-ai.reviews records as JSON lines).
// `npm run eval -- <manifest.json> [--matrix | --json | --detector-table]`: quality figures of the
// embedded pipeline on labelled photos. --matrix runs every configuration (OCR engine, detector
// models, no model mirror) in its own process and prints them side by side; --detector-table prints
// recall against false labels per detector, threshold, union and fusion setting (it needs the model
// mirror: AI_MODEL_SOURCE).
import path from 'node:path';
import { createRuntime } from '@media-ai/runtime';
import { collectDetections, formatReport } from './detector-thresholds.js';
import { runEvalMatrix } from './quality/eval-matrix.js';
import { formatReliability } from './quality/reliability.js';
import { readDecisionsFile, reliabilityFromDecisions } from './quality/review-decisions.js';
import { runEval } from './quality/run-eval.js';

const args = process.argv.slice(2);
const decisionsAt = args.indexOf('--decisions');
if (decisionsAt >= 0) {
  const file = args[decisionsAt + 1];
  if (!file) {
    process.stderr.write('usage: npm run eval -- --decisions <decisions.json | decisions.jsonl>\n');
    process.exit(2);
  }
  const decisions = readDecisionsFile(file);
  process.stdout.write(
    formatReliability(`reliability by tier (human labels: ${decisions.length} review decisions)`, reliabilityFromDecisions(decisions)),
  );
  process.exit(0);
}
const manifest = args.find((a) => !a.startsWith('--'));
if (!manifest) {
  process.stderr.write('usage: npm run eval -- <manifest.json> [--matrix | --json | --detector-table]   (photos beside the manifest)\n');
  process.exit(2);
}
const env = process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' };
if (args.includes('--detector-table')) {
  const modelsDir = process.env.AI_MODEL_SOURCE;
  if (!modelsDir) {
    process.stderr.write(
      '--detector-table compares YOLOX-Nano with NanoDet-g: set AI_MODEL_SOURCE to the model folder (../shared/models)\n',
    );
    process.exit(2);
  }
  const { photos, models } = await collectDetections({
    modelsDir: path.resolve(modelsDir),
    photosDir: path.dirname(path.resolve(manifest)),
    manifestFile: path.basename(manifest),
  });
  process.stdout.write(`${formatReport(photos, models)}\n`);
} else if (args.includes('--matrix')) {
  await runEvalMatrix(manifest, { script: process.argv[1]!, execArgv: process.execArgv, baseEnv: env });
} else {
  await runEval(createRuntime({ logToStderr: true, env }), manifest, { json: args.includes('--json') });
}
process.exit(0);
