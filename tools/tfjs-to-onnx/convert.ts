/**
 * CLI: converts one TF.js graph model to ONNX.
 *   node --import tsx tools/tfjs-to-onnx/convert.ts <model.json> <out.onnx> [output ...]
 * The weight shards are read from the paths in model.json's manifest, next to model.json.
 *
 * Must never write a partial file under the final name: it writes a temp file and renames it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertModelFile } from './convert-file.js';

async function main(argv: string[]): Promise<void> {
  const [modelJson, out, ...outputs] = argv;
  if (!modelJson || !out) {
    process.stderr.write('usage: node --import tsx tools/tfjs-to-onnx/convert.ts <model.json> <out.onnx> [output ...]\n');
    process.exit(2);
  }
  const started = performance.now();
  const result = await convertModelFile(modelJson, out, outputs.length > 0 ? { outputs } : {});
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${out}: ${result.bytes} bytes, sha256 ${result.sha256}, ${result.stats.tfNodes} TF nodes -> ${result.stats.onnxNodes} ONNX nodes / ${result.stats.initialisers} initialisers in ${seconds.toFixed(2)} s\n` +
      `inputs: ${result.inputs.map((i) => `${i.name}[${i.shape?.join(',') ?? '?'}]`).join(' ')}\n` +
      `outputs: ${result.outputs.map((o) => `${o.name}[${o.shape?.join(',') ?? '?'}]`).join(' ')}\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
