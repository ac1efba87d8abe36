// Test-only entry point (`@media-ai/e2e/test-support`): what runs the stage services as a deployment
// does — the Kafka cluster and registry stand-ins, a Redis of a run's own, each stage as its own Node
// process, the environment a deployment gives them — for tools that measure that deployment (the
// stage bench, tools/quality/run-stage-bench.ts). The e2e suites import the files directly.
export * from './deployment.js';
export * from './kafka-cluster.js';
export * from './redis-server.js';
export * from './stage-process.js';
