// The transports of @media-ai/stream (import '@media-ai/stream/transports'): Kafka and in-process, both
// implementing transport.ts. Only what hosts stages imports them (the stage-service host in libs/runtime,
// the embedded pipeline, tests); a stage never does, so it cannot know which one carries it (eslint
// enforces this: see HACKING.md, "Boundaries"). The in-process transport alone is also
// '@media-ai/stream/in-process', for a host that must not load kafkajs (the embedded pipeline).
export { KafkaTransport, type KafkaTransportOptions, type KafkaConsumerSettings, type KafkaSaslOptions } from './kafka-transport.js';
export { InProcessTransport, type InProcessTransportOptions, type TopicRecord } from './in-process-transport.js';
