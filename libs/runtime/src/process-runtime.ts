/**
 * Process-level set-up shared by every command: configuration (a bad value stops start-up with a
 * message naming the variable), the logger and the metrics registry. Configuration is read from
 * the environment here and nowhere below.
 */
import pino from 'pino';
import { ConfigError, loadConfig, type AppConfig } from '@media-ai/config';
import { createLogger, createMetrics, type Logger, type MediaAiMetrics } from '@media-ai/telemetry';
import { limitHeapGrowth } from './v8-heap-growth.js';

export interface Runtime {
  config: AppConfig;
  logger: Logger;
  metrics: MediaAiMetrics;
}

export interface RuntimeOptions {
  /** Commands that print results on stdout log to stderr instead. */
  logToStderr?: boolean;
  env?: Record<string, string | undefined>;
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  limitHeapGrowth();
  // eslint-disable-next-line no-restricted-syntax -- the process entry point is where env is read
  const config = loadConfig(options.env ?? process.env);
  const logger = createLogger({
    service: config.app.name,
    level: config.app.logLevel,
    base: { version: config.app.version },
    destination: options.logToStderr ? pino.destination({ fd: 2, sync: true }) : undefined,
  });
  return { config, logger, metrics: createMetrics() };
}

/** Prints a configuration error the way an operator needs it, and the exit code to use. */
export function reportStartupError(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`media-ai: invalid configuration\n${error.message}\n`);
    return 2;
  }
  process.stderr.write(`media-ai: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}
