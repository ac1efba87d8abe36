/**
 * `media-ai models [pull|validate|info]`.
 *
 * - `pull` (the default, what a Kubernetes init container runs): resolves every model of the
 *   manifest into AI_MODEL_CACHE_DIR (cache, then AI_MODEL_SOURCE, then upstream) and verifies each
 *   sha256, so pods start warm and never download at request time. Exits 1 if any model is missing.
 * - `validate`: runs every model on this machine (model-checks.ts): each ONNX graph's output shapes
 *   at the input the service feeds it, and each capability's known answer on the built-in check
 *   image. Prints one line per check; exits 1 if any fails or a model is missing.
 * - `info`: the table of every model: name, version, licence, size, declared input, execution
 *   provider actually used, measured latency (median of `--runs`), sha256. Exits 1 like validate.
 *   Both run where the pipeline's packages are (a checkout, the `serve` image), not in a stage image.
 */
import { parseArgs } from 'node:util';
import { modelManagerFromConfig } from '@media-ai/detector-service';
import { MODEL_MANIFEST, type ModelName } from '@media-ai/vision';
import type { Runtime } from '@media-ai/runtime';
import type { ModelCheckReport } from './model-checks.js';

export async function modelsCommand(args: string[], runtime: Runtime): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { runs: { type: 'string' } } });
  const [sub = 'pull'] = positionals;
  const runs = values.runs === undefined ? 5 : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 1000) {
    process.stderr.write(`--runs expects an integer 1..1000, got ${JSON.stringify(values.runs)}\n`);
    return 2;
  }
  switch (sub) {
    case 'pull':
      return pullModels(runtime);
    case 'validate':
    case 'info': {
      // Loaded here: it needs every model's package (OCR, ONNX Runtime), which a stage image's
      // init container, running `models pull`, does not have.
      const { allPassed, checkModels } = await import('./model-checks.js');
      const report = await checkModels(runtime.config, { runs, onProgress: (line) => process.stderr.write(`  checking ${line}\n`) });
      process.stdout.write(sub === 'validate' ? validationText(report) : infoTable(report));
      return allPassed(report) ? 0 : 1;
    }
    default:
      process.stderr.write(`Unknown models command: ${sub} (pull, validate or info)\n`);
      return 2;
  }
}

export async function pullModels({ config }: Runtime): Promise<number> {
  const manager = modelManagerFromConfig(config);
  let failures = 0;
  for (const name of Object.keys(MODEL_MANIFEST) as ModelName[]) {
    try {
      const resolved = await manager.resolveModel(name);
      process.stdout.write(`ok       ${name} ${resolved.spec.version} (${resolved.spec.licence}) -> ${resolved.modelPath}\n`);
    } catch (error) {
      failures += 1;
      process.stdout.write(`missing  ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return failures === 0 ? 0 : 1;
}

const ms = (value: number | null) => (value === null ? '-' : value < 100 ? value.toFixed(1) : value.toFixed(0));
const mib = (bytes: number | null) => (bytes === null ? '-' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

/** The SPDX identifiers a licence line names, for a narrow column ("Apache-2.0+MIT"). */
function spdx(licence: string): string {
  const ids = [...new Set(licence.match(/\b(Apache-2\.0|MIT|BSD-[\w.-]+|CC0-1\.0|GPL-[\w.-]+)\b/g) ?? [])];
  return ids.length ? ids.join('+') : licence;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

export function validationText(report: ModelCheckReport): string {
  const lines = ['graphs: each run at the input the service feeds it, outputs against what its decoder reads'];
  for (const g of report.graphs) {
    const status = g.problem ? 'FAIL' : 'ok  ';
    const detail = g.problem ?? `${g.runInput} -> ${g.outputs} on ${g.provider}, ${ms(g.latencyMs)} ms`;
    lines.push(`  ${status}  ${g.name.padEnd(20)} ${detail}`);
  }
  lines.push('answers on the built-in check image (a girl with a Great Dane above "MEDIA AI 2026")');
  for (const a of report.answers) {
    const status = a.problem ? 'FAIL' : 'ok  ';
    const found = a.answer === null ? '' : `: ${a.answer}`;
    const timing = a.latencyMs === null ? '' : ` (${ms(a.latencyMs)} ms)`;
    lines.push(
      `  ${status}  ${`${a.capability} ${a.model}`.padEnd(26)} expected ${a.expected}${found}${timing}${a.problem ? ` -- ${a.problem}` : ''}`,
    );
  }
  const failed = report.graphs.filter((g) => g.problem).length + report.answers.filter((a) => a.problem).length;
  const total = report.graphs.length + report.answers.length;
  lines.push(failed === 0 ? `validate: all ${total} checks passed` : `validate: ${failed} of ${total} checks failed`);
  return `${lines.join('\n')}\n`;
}

export function infoTable(report: ModelCheckReport): string {
  const header = ['model', 'version', 'licence', 'size', 'input', 'provider', 'ms p50', 'sha256'];
  const rows = report.graphs.map((g) => [
    g.problem && g.file === null ? `${g.name} (missing)` : g.name,
    g.version,
    spdx(g.licence),
    mib(g.bytes),
    g.declaredInput ?? '-',
    g.provider ?? '-',
    ms(g.latencyMs),
    g.sha256 ?? (g.problem ? `- ${g.problem}` : '-'),
  ]);
  for (const e of report.engines) {
    rows.push([e.name, e.version, spdx(e.licence), mib(e.bytes), 'text lines (LSTM)', e.provider, ms(e.latencyMs), e.sha256]);
  }
  const note =
    'ms p50: median of the timed session runs at the shape the service feeds (tesseract: one read of the check image), on this machine.\n';
  const problems = [...report.graphs, ...report.answers.map((a) => ({ name: `${a.capability} ${a.model}`, problem: a.problem }))]
    .filter((r) => r.problem !== null)
    .map((r) => `problem: ${r.name}: ${r.problem}\n`);
  return table([header, ...rows]) + note + problems.join('');
}
