/**
 * `media-ai stage <name>`: one stage as its own service over Kafka, exactly what the stage's own
 * entry point (services/<name>/src/main.ts) runs in its container. Only the named stage's code
 * is loaded.
 */
import { runStageService, type StageServiceDefinition } from '@media-ai/runtime';

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
  return runStageService(await load());
}
