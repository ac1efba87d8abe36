/**
 * Creates the one ONNX Runtime session a model gets per process, with explicit thread counts so
 * several stages (and OCR workers) on one node do not oversubscribe the cores.
 *
 * Must never silently change the execution provider: when the GPU was asked for and CUDA cannot be
 * loaded, it falls back to CPU and says so through the warning hook (and in `executionProvider`).
 */
import ort from 'onnxruntime-node';
import { tracerFor, withSpan, type Span } from '@media-ai/telemetry';

export interface InferenceOptions {
  /** Threads inside one operator (default 2: the measured sweet spot on 2-core project machines). */
  intraOpNumThreads?: number;
  /** Threads across operators (default 1: these graphs are sequential, more threads only contend). */
  interOpNumThreads?: number;
  /**
   * Let the intra-op threads spin while they wait for work (default false). Spinning saves
   * microseconds on an idle machine and burns a core whenever a sibling thread is descheduled,
   * CPU the other stages of the node needed: measured with `npm run bench` (run-bench.ts).
   */
  allowSpinning?: boolean;
  /** Try the CUDA provider first (falls back to CPU loudly). */
  enableGpu?: boolean;
  /** Receives the fallback warning; pass the service logger. Defaults to console.warn. */
  onWarning?: (message: string) => void;
  /** Told how long each session run took (model_inference_duration_seconds). Must not throw. */
  onInference?: (modelName: string, seconds: number) => void;
  /**
   * onnxruntime's own log level for this session (default its 2, warnings). 3 silences load-time
   * warnings that say nothing about the results, such as BlazeFace's unused folded constants.
   */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

/** What runInference names a span and a measurement after. */
export interface InferenceModel {
  readonly name: string;
  readonly version: string;
  readonly executionProvider: ExecutionProvider;
}

const tracer = tracerFor('@media-ai/vision');

/**
 * One inference (preprocessing, session run, decoding) in a span named after the model, timed for
 * the host's model_inference_duration_seconds: where a detector's time goes, per model.
 */
export function runInference<T>(
  model: InferenceModel,
  images: number,
  onInference: InferenceOptions['onInference'],
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const started = performance.now();
  return withSpan(
    tracer,
    `inference ${model.name}`,
    {
      attributes: {
        model_name: model.name,
        'media_ai.model.version': model.version,
        'media_ai.execution_provider': model.executionProvider,
        'media_ai.images': images,
      },
    },
    async (span) => {
      try {
        return await work(span);
      } finally {
        try {
          onInference?.(model.name, (performance.now() - started) / 1000);
        } catch {
          // A metrics hook must never fail an inference.
        }
      }
    },
  );
}

export type ExecutionProvider = 'cuda' | 'cpu';

export interface ModelSession {
  session: ort.InferenceSession;
  executionProvider: ExecutionProvider;
}

export async function createModelSession(modelPath: string, options: InferenceOptions = {}): Promise<ModelSession> {
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.intraOpNumThreads ?? 2,
    interOpNumThreads: options.interOpNumThreads ?? 1,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: options.allowSpinning ? '1' : '0' } } },
    ...(options.logSeverityLevel === undefined ? {} : { logSeverityLevel: options.logSeverityLevel }),
  };
  if (options.enableGpu) {
    try {
      const session = await ort.InferenceSession.create(modelPath, { ...base, executionProviders: ['cuda', 'cpu'] });
      return { session, executionProvider: 'cuda' };
    } catch (error) {
      const warn = options.onWarning ?? ((message: string) => console.warn(message));
      const reason = error instanceof Error ? error.message : String(error);
      warn(`CUDA execution provider unavailable for ${modelPath}, falling back to CPU: ${reason}`);
    }
  }
  const session = await ort.InferenceSession.create(modelPath, { ...base, executionProviders: ['cpu'] });
  return { session, executionProvider: 'cpu' };
}
