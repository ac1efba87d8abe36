/**
 * The identifier key of a process that hashes identifiers (the fetcher and ocr services, `media-ai
 * serve`), resolved before anything starts: outside development a missing MEDIA_AI_IDENTIFIER_KEY
 * stops start-up with a ConfigError naming it, and running on the public development key is said
 * loudly, once. Must never log the key or anything derived from it.
 */
import { identifierKeyOf, type AppConfig } from '@media-ai/config';
import type { Logger } from '@media-ai/telemetry';

export function identifierKeyAtStartup(config: AppConfig, logger: Logger): Buffer {
  const { key, source } = identifierKeyOf(config);
  if (source === 'development') {
    logger.warn(
      { variable: 'MEDIA_AI_IDENTIFIER_KEY' },
      'MEDIA_AI_IDENTIFIER_KEY is not set: identifier hashes use the public development key, which protects nothing and matches only other development runs (staging and production refuse to start without a key)',
    );
  }
  return key;
}
