/**
 * `npm run eval -- <manifest.json> --matrix`: the eval once per configuration (OCR engine, detector
 * models, no model mirror), each in its own child process so peak RSS and warm-up belong to that
 * configuration alone, then one table of the figures side by side. Children run one after the
 * other: on a 2-core machine two at once would only measure each other.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { EvalSummary } from './run-eval.js';

const run = promisify(execFile);

export interface EvalConfiguration {
  name: string;
  /** Environment overrides; `undefined` removes a variable. */
  env: Record<string, string | undefined>;
  /** Run with an empty model cache and no AI_MODEL_SOURCE: what a fresh clone without a mirror has. */
  noModelMirror?: boolean;
}

export const EVAL_CONFIGURATIONS: readonly EvalConfiguration[] = [
  { name: 'default', env: {} },
  { name: 'no model mirror', env: { AI_MODEL_SOURCE: undefined }, noModelMirror: true },
  { name: 'ocr tesseract', env: { OCR_ENGINE: 'tesseract' } },
  { name: 'ocr paddle', env: { OCR_ENGINE: 'paddle' } },
  { name: 'ocr hybrid', env: { OCR_ENGINE: 'hybrid' } },
  { name: 'detector yolox', env: { AI_DETECTOR_MODELS: 'yolox-nano' } },
  { name: 'detector nanodet', env: { AI_DETECTOR_MODELS: 'nanodet-g' } },
  { name: 'detector ensemble', env: { AI_DETECTOR_MODELS: 'yolox-nano,nanodet-g' } },
];

export interface MatrixOptions {
  /** The eval entry point and the node flags to run it with (tools/eval.ts under tsx). */
  script: string;
  execArgv: readonly string[];
  baseEnv: NodeJS.ProcessEnv;
  configurations?: readonly EvalConfiguration[];
}

export async function runEvalMatrix(manifestPath: string, options: MatrixOptions): Promise<Array<{ name: string; summary: EvalSummary }>> {
  const results: Array<{ name: string; summary: EvalSummary }> = [];
  for (const configuration of options.configurations ?? EVAL_CONFIGURATIONS) {
    const env: NodeJS.ProcessEnv = { ...options.baseEnv };
    for (const [key, value] of Object.entries(configuration.env)) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    const emptyCache = configuration.noModelMirror ? await mkdtemp(path.join(tmpdir(), 'media-ai-eval-models-')) : null;
    if (emptyCache) env.AI_MODEL_CACHE_DIR = emptyCache;
    try {
      process.stderr.write(`eval: ${configuration.name}\n`);
      const { stdout } = await run(process.execPath, [...options.execArgv, options.script, manifestPath, '--json'], {
        env,
        maxBuffer: 16 * 2 ** 20,
      });
      const last = stdout.trim().split('\n').at(-1) ?? '';
      results.push({ name: configuration.name, summary: JSON.parse(last) as EvalSummary });
    } finally {
      if (emptyCache) await rm(emptyCache, { recursive: true, force: true });
    }
  }
  process.stdout.write(formatMatrix(results));
  return results;
}

const f3 = (n: number) => (Number.isNaN(n) ? '  -  ' : n.toFixed(3));
const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(0));

export function formatMatrix(results: ReadonlyArray<{ name: string; summary: EvalSummary }>): string {
  const stages = [...new Set(results.flatMap((r) => Object.keys(r.summary.latency)))];
  const header = [
    'configuration',
    'text',
    'text (all words)',
    'exact words',
    'glued',
    'garbage',
    'objects',
    'items',
    'false obj',
    'colours',
    'auto prec (n)',
    ...stages.map((s) => `${s} p50/p90 ms`),
    'peak RSS MiB',
  ];
  const rows = results.map(({ name, summary: s }) => [
    name,
    f3(s.text_recall),
    f3(s.text_recall_all_words),
    f3(s.exact_word_recall),
    f3(s.glued_token_share),
    String(s.garbage_lines),
    f3(s.object_recall),
    f3(s.item_recall),
    String(s.false_objects),
    f3(s.color_agreement),
    `${f3(s.auto_apply_precision)} (${s.auto_apply_tags})`,
    ...stages.map((stage) => `${ms(s.latency[stage]?.p50)}/${ms(s.latency[stage]?.p90)}`),
    String(s.peak_rss_mb),
  ]);
  const lines = [header, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  lines.splice(1, 0, `|${header.map(() => '---').join('|')}|`);
  const notes = results.flatMap(({ name, summary }) => [
    `${name}: ${Object.entries(summary.versions)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    ...summary.off.map((o) => `${name}: off ${o}`),
  ]);
  return `\n${lines.join('\n')}\n\n${notes.join('\n')}\n`;
}
