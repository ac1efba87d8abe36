// Topic names, record types, error catalogue and codecs (Avro via registry, JSON via schema).
export * from './topics.js';
export * from './stages.js';
export * from './errors.js';
export type * from './records.js';
export type * from './codec.js';
export type { AvroSchema } from './avro-types.js';
export * from './schema-registry.js';
export * from './confluent-schema-registry.js';
export * from './avro-schemas.js';
export * from './codecs.js';
export * from './post-event.js';
export { emptyPostDetails } from './post-context.js';
export * from './manifest-versions.js';
export * from './enrichment.js';
export * from './part-results.js';
export * from './taxonomy.js';
export * from './colors.js';
export * from './confidence-tiers.js';
