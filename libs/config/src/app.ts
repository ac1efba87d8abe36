/**
 * Application identity and verbosity (APP_*, ENVIRONMENT, DEBUG, LOG_LEVEL).
 * Must never decide behaviour of other concerns; they receive the environment name if they need it.
 */
import { z } from 'zod';
import { boolean, oneOf, text } from './env-fields.js';

export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The guide's (Python logging) level names; telemetry maps them onto pino levels. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppSettings {
  name: string;
  version: string;
  environment: Environment;
  debug: boolean;
  logLevel: LogLevel;
}

export const appSchema = z
  .object({
    APP_NAME: text(),
    APP_VERSION: text(),
    ENVIRONMENT: oneOf(ENVIRONMENTS),
    DEBUG: boolean(),
    LOG_LEVEL: oneOf(LOG_LEVELS),
  })
  .transform((env): AppSettings => {
    const debug = env.DEBUG ?? false;
    return {
      name: env.APP_NAME ?? 'fn-media-ai',
      version: env.APP_VERSION ?? '0.1.0',
      environment: env.ENVIRONMENT ?? 'development',
      debug,
      // DEBUG=true without an explicit level is a request to see debug lines.
      logLevel: env.LOG_LEVEL ?? (debug ? 'DEBUG' : 'INFO'),
    };
  });
