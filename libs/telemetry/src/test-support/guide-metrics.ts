/** Test-only: the metric names ../shared/reference/deployment-guide.md requires, in one place. */
export const GUIDE_METRICS = [
  'ai_processing_duration_seconds',
  'ai_confidence_score_distribution',
  'kafka_consumer_lag',
  'model_inference_duration_seconds',
  'openai_api_requests_total',
  'gcs_download_duration_seconds',
  'redis_cache_hit_ratio',
] as const;
