/**
 * `media-ai stage <name>`: one stage as its own service over Kafka, exactly what the stage's own
 * entry point (services/<name>/src/main.ts) runs in its container: tracing first (when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set), then the runtime and only the named stage's code.
 */
import { tracingConfigFrom } from '@media-ai/config';
import type { StageServiceDefinition } from '@media-ai/runtime';
import { startTracing } from '@media-ai/telemetry';

const SERVICES: Record<string, () => Promise<StageServiceDefinition>> = {
  fetcher: async () => (await import('@media-ai/fetcher-service')).fetcherService,
  detector: async () => (await import('@media-ai/detector-service')).detectorService,
  ocr: async () => (await import('@media-ai/ocr-service')).ocrService,
  llm: async () => (await import('@media-ai/llm-service')).llmService,
  aggregator: async () => (await import('@media-ai/aggregator-service')).aggregatorService,
};

export async function runStageCommand(args: readonly string[], usage: string): Promise<number> {
  const [name, ...extra] = args;
  const load = name === undefined ? undefined : SERVICES[name];
  if (!load || extra.length > 0) {
    process.stderr.write(`${name === undefined ? 'Which stage?' : `Unknown stage: ${name}`}\n\n${usage}`);
    return 2;
  }
  // Before the runtime and the stage load kafkajs: see services/<name>/src/main.ts.
  // eslint-disable-next-line no-restricted-syntax -- the process entry point is where env is read
  const tracing = await startTracing(tracingConfigFrom(process.env, name!));
  const { runStageService } = await import('@media-ai/runtime');
  const code = await runStageService(await load());
  // The spans of the last records are still buffered: export them before the process ends.
  await tracing.shutdown();
  return code;
}
