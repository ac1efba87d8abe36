/**
 * Topic names of the pipeline. Every topic is keyed by post id; the intermediate topics
 * share one partition count so one aggregator replica sees every part of a post.
 */
export const TOPICS = {
  /** Input from fn-posts (JSON, tolerant reader). */
  postsEvents: 'posts.events',
  /** One manifest per post and revision: context, photo list, expected stages. */
  posts: 'media-ai.posts',
  /** One record per normalized photo (by reference: blob key + sha256). */
  photos: 'media-ai.photos',
  detections: 'media-ai.detections',
  texts: 'media-ai.texts',
  descriptions: 'media-ai.descriptions',
  /** Review desk decisions, one per tag decided; the aggregator publishes a new revision from each. */
  reviews: 'media-ai.reviews',
  /** Output (JSON post.enhanced and processing.error); overridden by KAFKA_POST_ENHANCED_TOPIC. */
  enrichment: 'media-ai.enrichment',
  /** Records no stage could process, with the reason in headers. */
  deadLetter: 'media-ai.dead-letter',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** Headers every record carries between stages (Kafka headers, strings only). */
export const HEADERS = {
  correlationId: 'correlation-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  /** Dead-letter headers: where the record came from and why it could not be processed. */
  dlqSourceTopic: 'dlq-source-topic',
  dlqSourcePartition: 'dlq-source-partition',
  dlqSourceOffset: 'dlq-source-offset',
  dlqStage: 'dlq-stage',
  dlqErrorCode: 'dlq-error-code',
  dlqErrorMessage: 'dlq-error-message',
  dlqAttempts: 'dlq-attempts',
} as const;
