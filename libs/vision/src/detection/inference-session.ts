/**
 * Creates the one ONNX Runtime session a model gets per process, with explicit thread counts so
 * several stages (and OCR workers) on one node do not oversubscribe the cores.
 *
 * Must never silently change the execution provider: when the GPU was asked for and CUDA cannot be
 * loaded, it falls back to CPU and says so through the warning hook (and in `executionProvider`).
 */
import ort from 'onnxruntime-node';

export interface InferenceOptions {
  /** Threads inside one operator (default 2: the measured sweet spot on 2-core project machines). */
  intraOpNumThreads?: number;
  /** Threads across operators (default 1: these graphs are sequential, more threads only contend). */
  interOpNumThreads?: number;
  /** Try the CUDA provider first (falls back to CPU loudly). */
  enableGpu?: boolean;
  /** Receives the fallback warning; pass the service logger. Defaults to console.warn. */
  onWarning?: (message: string) => void;
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
