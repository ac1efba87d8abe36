/**
 * What `media-ai models validate` and `media-ai models info` measure: every model the service runs,
 * checked two ways on this machine.
 *
 * - Each ONNX graph (YOLOX-Nano, NanoDet-g, MobileNetV2, BlazeFace, PP-OCRv4 det/cls/rec) is opened
 *   as the service opens it (CUDA when AI_ENABLE_GPU asks and it loads, else CPU: the provider ORT
 *   actually took), run at the input shape the service feeds it, and its outputs' shapes compared
 *   with the ones the decoders expect; the median of `runs` timed runs is its latency.
 * - Each capability answers a known question about the built-in check image (assets/model-check.jpg,
 *   see assets/NOTICE.md): the detectors find the person and the dog, the classifier calls it a dog,
 *   BlazeFace finds the girl's one face, both OCR engines read "MEDIA" and "2026".
 *
 * Models come from where the service takes them (the model manager for the mirrored ones, with
 * their sha256 verified; the package-built files, checked against their pins). A model that cannot
 * be resolved is reported as missing, never skipped. Must never download at any other time than the
 * manager would, and never read ../shared.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import type { AppConfig } from '@media-ai/config';
import { modelManagerFromConfig } from '@media-ai/detector-service';
import {
  PADDLE_MODEL_FILES,
  PADDLE_MODELS_VERSION,
  PaddleTextReader,
  TesseractTextReader,
  TRAINEDDATA_FILE,
  TRAINEDDATA_VERSION,
} from '@media-ai/ocr';
import {
  BLAZEFACE_MODEL,
  BLAZEFACE_MODEL_PATH,
  createModelSession,
  decodeImage,
  FaceDetector,
  ItemClassifier,
  loadNanodetDetector,
  MODEL_MANIFEST,
  NANODET_MODEL,
  NANODET_MODEL_PATH,
  ObjectDetector,
  type DecodedImage,
  type ModelManager,
} from '@media-ai/vision';

/** The built-in check image: where the build and the image keep it (two levels above src/cli and dist/cli). */
export const CHECK_IMAGE_PATH = fileURLToPath(new URL('../../assets/model-check.jpg', import.meta.url));

/** What the check image shows, as each capability must report it. */
export const CHECK_IMAGE_FACTS = {
  objects: ['person', 'dog'],
  item: 'dog',
  /** The girl's face: its box centre lies in this part of the image (fractions of width and height). */
  face: { x: [0.2, 0.45], y: [0.1, 0.25] },
  /** "MEDIA AI 2026": engines differ on spaces and on I versus l, so the word and the number are checked. */
  text: ['MEDIA', '2026'],
} as const;

export type Provider = 'CPU' | 'CUDA';

export interface GraphReport {
  name: string;
  version: string;
  licence: string;
  file: string | null;
  sha256: string | null;
  bytes: number | null;
  /** As the graph declares it, symbolic dimensions as N (batch) or ?. */
  declaredInput: string | null;
  /** The shape it was run at: the one the service feeds it. */
  runInput: string;
  provider: Provider | null;
  expectedOutputs: string;
  outputs: string | null;
  /** Median of the timed runs, ms. */
  latencyMs: number | null;
  problem: string | null;
}

export interface AnswerReport {
  capability: string;
  model: string;
  expected: string;
  answer: string | null;
  /** One call on the check image, preprocessing and decoding included, ms. */
  latencyMs: number | null;
  problem: string | null;
}

/** A model that is no ONNX graph (tesseract's LSTM traineddata), listed by info with its reader's latency. */
export interface EngineReport {
  name: string;
  version: string;
  licence: string;
  file: string;
  sha256: string;
  bytes: number;
  provider: string;
  /** From the tesseract answer check. */
  latencyMs: number | null;
}

export interface ModelCheckReport {
  graphs: GraphReport[];
  answers: AnswerReport[];
  engines: EngineReport[];
}

export interface ModelCheckOptions {
  /** Timed runs per graph after one warm-up (default 5). */
  runs?: number;
  /** Progress lines (stderr). */
  onProgress?: (line: string) => void;
}

interface GraphSpec {
  name: string;
  version: string;
  licence: string;
  /** Resolves (and verifies) the file; throws with the reason when it cannot. */
  locate(models: ModelManager): Promise<string>;
  runInput: number[];
  expectedOutputs: number[][];
  /** PP-OCRv4 runs on CPU in the service whatever AI_ENABLE_GPU says (libs/ocr). */
  cpuOnly?: boolean;
}

const PADDLE_LICENCE = 'Apache-2.0 (PaddleOCR PP-OCRv4); MIT (npm packaging)';

/** Every ONNX graph the service runs, with the input it is fed and the outputs its decoder reads. */
const GRAPHS: readonly GraphSpec[] = [
  {
    name: 'yolox-nano',
    version: MODEL_MANIFEST['yolox-nano'].version,
    licence: MODEL_MANIFEST['yolox-nano'].licence,
    locate: async (models) => (await models.resolveModel('yolox-nano')).modelPath,
    runInput: [1, 3, 416, 416],
    expectedOutputs: [[1, 3549, 85]],
  },
  {
    name: NANODET_MODEL.name,
    version: NANODET_MODEL.version,
    licence: NANODET_MODEL.licence,
    locate: () => verifiedFile(NANODET_MODEL_PATH, NANODET_MODEL.sha256, NANODET_MODEL.buildCommand),
    runInput: [1, 3, 416, 416],
    // Class scores, then box distributions, for strides 8, 16 and 32.
    expectedOutputs: [
      [1, 2704, 80],
      [1, 676, 80],
      [1, 169, 80],
      [1, 2704, 44],
      [1, 676, 44],
      [1, 169, 44],
    ],
  },
  {
    name: 'mobilenetv2-int8',
    version: MODEL_MANIFEST['mobilenetv2-int8'].version,
    licence: MODEL_MANIFEST['mobilenetv2-int8'].licence,
    locate: async (models) => (await models.resolveModel('mobilenetv2-int8')).modelPath,
    // Batched: the detector stage classifies several photos per run.
    runInput: [2, 3, 224, 224],
    expectedOutputs: [[2, 1000]],
  },
  {
    name: BLAZEFACE_MODEL.name,
    version: BLAZEFACE_MODEL.version,
    licence: BLAZEFACE_MODEL.licence,
    locate: () => verifiedFile(BLAZEFACE_MODEL_PATH, BLAZEFACE_MODEL.sha256, BLAZEFACE_MODEL.buildCommand),
    runInput: [1, 256, 256, 3],
    expectedOutputs: [
      [1, 512, 1],
      [1, 384, 1],
      [1, 512, 16],
      [1, 384, 16],
    ],
  },
  {
    name: 'pp-ocrv4-det',
    version: PADDLE_MODELS_VERSION,
    licence: PADDLE_LICENCE,
    locate: async () => PADDLE_MODEL_FILES.det,
    runInput: [1, 3, 640, 640],
    expectedOutputs: [[1, 1, 640, 640]],
    cpuOnly: true,
  },
  {
    name: 'pp-ocrv4-cls',
    version: PADDLE_MODELS_VERSION,
    licence: PADDLE_LICENCE,
    locate: async () => PADDLE_MODEL_FILES.cls,
    runInput: [1, 3, 48, 192],
    expectedOutputs: [[1, 2]],
    cpuOnly: true,
  },
  {
    name: 'pp-ocrv4-rec',
    version: PADDLE_MODELS_VERSION,
    licence: PADDLE_LICENCE,
    locate: async () => PADDLE_MODEL_FILES.rec,
    runInput: [1, 3, 48, 320],
    // One step per 8 pixels of width, over ppocr_keys_v1's 6623 characters plus blank and space.
    expectedOutputs: [[1, 40, 6625]],
    cpuOnly: true,
  },
];

const shape = (dims: readonly (number | string)[]) => dims.join('x');
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function verifiedFile(path: string, sha256: string, buildCommand: string): Promise<string> {
  const actual = createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
  if (actual !== sha256) throw new Error(`${path} has sha256 ${actual}, not the pinned ${sha256}: run \`${buildCommand}\``);
  return path;
}

async function fileFacts(path: string): Promise<{ sha256: string; bytes: number }> {
  const bytes = await readFile(path);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function checkGraph(spec: GraphSpec, models: ModelManager, config: AppConfig, runs: number): Promise<GraphReport> {
  const report: GraphReport = {
    name: spec.name,
    version: spec.version,
    licence: spec.licence,
    file: null,
    sha256: null,
    bytes: null,
    declaredInput: null,
    runInput: shape(spec.runInput),
    provider: null,
    expectedOutputs: spec.expectedOutputs.map(shape).join(', '),
    outputs: null,
    latencyMs: null,
    problem: null,
  };
  let session: ort.InferenceSession | undefined;
  try {
    report.file = await spec.locate(models);
    Object.assign(report, await fileFacts(report.file));
    const opened = await createModelSession(report.file, {
      enableGpu: config.ai.enableGpu && !spec.cpuOnly,
      logSeverityLevel: 3,
      onWarning: () => undefined,
    });
    session = opened.session;
    report.provider = opened.executionProvider === 'cuda' ? 'CUDA' : 'CPU';
    const meta = session.inputMetadata[0];
    // Symbolic dimensions ("batch_size", "p2o.DynamicDimension.1"): N for the batch, ? for the rest.
    report.declaredInput =
      meta && meta.isTensor ? shape(meta.shape.map((d, i) => (typeof d === 'number' && d >= 0 ? d : i === 0 ? 'N' : '?'))) : null;
    const size = spec.runInput.reduce((a, b) => a * b, 1);
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', new Float32Array(size).fill(0.5), spec.runInput) };
    const times: number[] = [];
    let dims: number[][] = [];
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      const results = await session.run(feeds);
      // The first run allocates and optimises: a warm-up, not a measurement.
      if (run > 0) times.push(performance.now() - started);
      dims = session.outputNames.map((name) => [...(results[name]?.dims ?? [])]);
      for (const tensor of Object.values(results)) tensor.dispose();
    }
    report.outputs = dims.map(shape).join(', ');
    report.latencyMs = median(times);
    if (report.outputs !== report.expectedOutputs) report.problem = `outputs ${report.outputs}, expected ${report.expectedOutputs}`;
  } catch (error) {
    report.problem = message(error);
  } finally {
    await session?.release();
  }
  return report;
}

async function timedAnswer(
  capability: string,
  model: string,
  expected: string,
  run: () => Promise<{ answer: string; problem: string | null }>,
): Promise<AnswerReport> {
  const started = performance.now();
  try {
    const { answer, problem } = await run();
    return { capability, model, expected, answer, latencyMs: performance.now() - started, problem };
  } catch (error) {
    return { capability, model, expected, answer: null, latencyMs: null, problem: message(error) };
  }
}

/** Opens a model, answers once (timed without the open), closes it; a failure to open is the answer's problem. */
async function answerWith<M extends { close?(): Promise<void>; stop?(): Promise<void> }>(
  capability: string,
  model: string,
  expected: string,
  open: () => Promise<M>,
  ask: (m: M) => Promise<{ answer: string; problem: string | null }>,
): Promise<AnswerReport> {
  let opened: M;
  try {
    opened = await open();
  } catch (error) {
    return { capability, model, expected, answer: null, latencyMs: null, problem: message(error) };
  }
  try {
    return await timedAnswer(capability, model, expected, () => ask(opened));
  } finally {
    await (opened.close ?? opened.stop)?.call(opened);
  }
}

function objectsAnswer(found: Array<{ label: string; confidence: number }>, wanted: readonly string[]) {
  const labels = new Set(found.map((o) => o.label));
  const missing = wanted.filter((label) => !labels.has(label));
  return {
    answer: found.map((o) => `${o.label} ${o.confidence.toFixed(2)}`).join(', ') || '(nothing)',
    problem: missing.length ? `did not find ${missing.join(' and ')}` : null,
  };
}

function textAnswer(text: string) {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  const missing = CHECK_IMAGE_FACTS.text.filter((word) => !compact.includes(word));
  return {
    answer: JSON.stringify(text.replace(/\s*\n\s*/g, ' / ')),
    problem: missing.length ? `did not read ${missing.join(' and ')}` : null,
  };
}

async function checkAnswers(models: ModelManager, config: AppConfig, jpeg: Buffer, image: DecodedImage): Promise<AnswerReport[]> {
  const gpu = { enableGpu: config.ai.enableGpu, onWarning: () => undefined };
  const facts = CHECK_IMAGE_FACTS;
  const answers: AnswerReport[] = [];
  answers.push(
    await answerWith(
      'objects',
      'yolox-nano',
      facts.objects.join(' and '),
      async () => {
        const m = await models.resolveModel('yolox-nano');
        return ObjectDetector.create({
          ...gpu,
          family: 'yolox',
          modelPath: m.modelPath,
          labels: m.labels,
          name: m.spec.name,
          version: m.spec.version,
        });
      },
      async (detector) => objectsAnswer((await detector.detect([image]))[0]!, facts.objects),
    ),
  );
  answers.push(
    await answerWith(
      'objects',
      NANODET_MODEL.name,
      // NanoDet-g misses the standing Great Dane (as YOLOX nearly does, score ~0.6): the person is its question.
      'person',
      () => loadNanodetDetector(gpu),
      async (detector) => objectsAnswer((await detector.detect([image]))[0]!, ['person']),
    ),
  );
  answers.push(
    await answerWith(
      'item',
      'mobilenetv2-int8',
      `top class a ${facts.item}`,
      async () => {
        const m = await models.resolveModel('mobilenetv2-int8');
        return ItemClassifier.create({ ...gpu, modelPath: m.modelPath, labels: m.labels, name: m.spec.name, version: m.spec.version });
      },
      async (classifier) => {
        const top = (await classifier.classify([image]))[0] ?? [];
        return {
          answer: top
            .slice(0, 3)
            .map((c) => `${c.label} (${c.item ?? '-'}) ${c.confidence.toFixed(2)}`)
            .join(', '),
          problem: top[0]?.item === facts.item ? null : `top class is not a ${facts.item}`,
        };
      },
    ),
  );
  answers.push(
    await answerWith(
      'faces',
      BLAZEFACE_MODEL.name,
      "one face (the girl's)",
      () => FaceDetector.create(gpu),
      async (detector) => {
        const faces = await detector.detectInJpeg(jpeg);
        const centres = faces.map((f) => ({ x: f.box.x + f.box.width / 2, y: f.box.y + f.box.height / 2, confidence: f.confidence }));
        const inside = (c: { x: number; y: number }) =>
          c.x >= facts.face.x[0] && c.x <= facts.face.x[1] && c.y >= facts.face.y[0] && c.y <= facts.face.y[1];
        return {
          answer: centres.map((c) => `face ${c.confidence.toFixed(2)} at ${c.x.toFixed(2)},${c.y.toFixed(2)}`).join(', ') || '(none)',
          problem: centres.length === 1 && inside(centres[0]!) ? null : `expected one face centred in ${JSON.stringify(facts.face)}`,
        };
      },
    ),
  );
  answers.push(
    await answerWith(
      'text',
      'pp-ocrv4',
      facts.text.join(' and '),
      async () => {
        const reader = new PaddleTextReader();
        await reader.start();
        return reader;
      },
      async (reader) => textAnswer((await reader.read(jpeg)).text),
    ),
  );
  answers.push(
    await answerWith(
      'text',
      'tesseract',
      facts.text.join(' and '),
      async () => {
        const reader = new TesseractTextReader({ poolSize: 1 });
        await reader.start();
        return reader;
      },
      async (reader) => textAnswer((await reader.read(jpeg)).text),
    ),
  );
  return answers;
}

export async function checkModels(config: AppConfig, options: ModelCheckOptions = {}): Promise<ModelCheckReport> {
  const runs = Math.max(1, options.runs ?? 5);
  const progress = options.onProgress ?? (() => undefined);
  const models = modelManagerFromConfig(config);
  const graphs: GraphReport[] = [];
  for (const spec of GRAPHS) {
    progress(`graph ${spec.name}`);
    graphs.push(await checkGraph(spec, models, config, runs));
  }
  const jpeg = await readFile(CHECK_IMAGE_PATH);
  progress('answers on the check image');
  const answers = await checkAnswers(models, config, jpeg, await decodeImage(jpeg));
  const traineddata = await fileFacts(TRAINEDDATA_FILE);
  const engines: EngineReport[] = [
    {
      name: 'tesseract-eng',
      version: TRAINEDDATA_VERSION,
      licence: 'Apache-2.0 (tessdata); MIT (npm packaging)',
      file: TRAINEDDATA_FILE,
      ...traineddata,
      provider: 'CPU (WASM)',
      latencyMs: answers.find((a) => a.model === 'tesseract')?.latencyMs ?? null,
    },
  ];
  return { graphs, answers, engines };
}

/** Whether every graph and every answer passed. */
export function allPassed(report: ModelCheckReport): boolean {
  return report.graphs.every((g) => g.problem === null) && report.answers.every((a) => a.problem === null);
}
