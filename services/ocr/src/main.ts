/** Entry point of the ocr service: legible text with personal data redacted, over Kafka (see runStageService). */
import { tracingConfigFrom } from '@media-ai/config';
import { startTracing } from '@media-ai/telemetry';

// Tracing starts before anything that imports kafkajs is loaded (its instrumentation patches kafkajs
// as it loads), hence the dynamic imports below. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
// eslint-disable-next-line no-restricted-syntax -- the process entry point is where env is read
const tracing = await startTracing(tracingConfigFrom(process.env, 'ocr'));
const { runStageService } = await import('@media-ai/runtime');
const { ocrService } = await import('./service.js');

process.exitCode = await runStageService(ocrService);
// The spans of the last records are still buffered: export them before the process ends.
await tracing.shutdown();
process.exit();
