/**
 * Test-only: what a service entry point does (start tracing, then import what uses kafkajs), run as
 * its own Node process because a test runner loads kafkajs its own way. Prints whether the kafkajs
 * instrumentation patched the Kafka class that an ESM import gets.
 */
import { startTracing } from '../index.js';

const tracing = await startTracing({
  tracesUrl: 'http://127.0.0.1:9/v1/traces',
  protocol: 'http/json',
  serviceName: 'probe',
  serviceVersion: '0',
  environment: 'development',
  sampler: 'always_on',
  samplerRatio: 1,
  exportDelayMs: 1000,
});
const { Kafka } = await import('kafkajs');
process.stdout.write(JSON.stringify({ patched: (Kafka.prototype.producer as { __wrapped?: boolean }).__wrapped === true }));
await tracing.shutdown(500);
