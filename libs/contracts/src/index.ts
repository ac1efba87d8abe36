// Topic names, record types, error catalogue and codecs (Avro via registry, JSON via schema).
export * from './topics.js';
export * from './errors.js';
export type * from './records.js';
export type * from './codec.js';
