/**
 * The structured logger every process uses: pino JSON lines in the guide's shape
 * (`timestamp` ISO-8601, `level` as a word, `service`, `message`), child loggers for per-record
 * context (correlation_id, post_id), secrets redacted by key name wherever they appear.
 * Must never write a secret value: anything under a secret-looking key is replaced before it
 * is serialized, and nothing here reads the environment.
 */
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger } from 'pino';

/** The guide's level names (Python logging), accepted alongside pino's own. */
export type GuideLogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
export type LoggerLevel = GuideLogLevel | Level | 'silent';

export interface LoggerOptions {
  service: string;
  level?: LoggerLevel;
  /** Where lines go; stdout when absent. Tests pass a stream that collects lines. */
  destination?: DestinationStream;
  /** Extra paths to censor, in pino redact syntax (`body.password`, `*.token`). */
  redactPaths?: string[];
  /** Fields on every line besides `service` (e.g. `version`, `stage`). */
  base?: Record<string, string>;
}

export const REDACTED = '[redacted]';

const GUIDE_TO_PINO: Record<GuideLogLevel, Level> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  ERROR: 'error',
  CRITICAL: 'fatal',
};

/** Spoken back the way the guide's Python service wrote them, so dashboards match. */
const PINO_TO_WORD: Record<string, string> = { warn: 'warning', fatal: 'critical' };

/**
 * Keys whose values are secrets wherever they sit. pino's redaction matches fixed depths only,
 * so each key is listed at the top level and two levels down (`req.headers.authorization`).
 */
const SECRET_KEYS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'cookie',
  'credentials',
  'private_key',
  'client_secret',
  'access_token',
  'refresh_token',
];

export const SECRET_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function toPinoLevel(level: LoggerLevel): Level | 'silent' {
  const upper = level.toUpperCase();
  if (Object.hasOwn(GUIDE_TO_PINO, upper)) return GUIDE_TO_PINO[upper as GuideLogLevel];
  // Anything else is a pino level name; pino itself rejects an unknown one at creation.
  return level.toLowerCase() as Level | 'silent';
}

export function createLogger(options: LoggerOptions): Logger {
  const pinoOptions = {
    level: toPinoLevel(options.level ?? 'INFO'),
    messageKey: 'message',
    errorKey: 'error',
    base: { service: options.service, ...options.base },
    timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
    formatters: {
      level: (label: string) => ({ level: PINO_TO_WORD[label] ?? label }),
    },
    serializers: { error: pino.stdSerializers.err, err: pino.stdSerializers.err },
    redact: { paths: [...SECRET_PATHS, ...(options.redactPaths ?? [])], censor: REDACTED },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** Per-record context; snake_case because these are the log field names. */
export interface LogContext {
  correlation_id?: string | undefined;
  post_id?: string | undefined;
  photo_id?: string | undefined;
  stage?: string | undefined;
  [field: string]: string | number | boolean | undefined;
}

/** A child logger carrying the record's ids; absent ids are left out rather than logged as empty. */
export function withLogContext(logger: Logger, context: LogContext): Logger {
  const bindings = Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined && value !== ''));
  return logger.child(bindings);
}
