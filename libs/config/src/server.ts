/**
 * The HTTP listener (HOST, PORT, WORKERS) and its browser-facing policy (CORS_*, ALLOWED_HOSTS).
 * Must never open a socket; libs/http does that with these values.
 */
import { z } from 'zod';
import { boolean, integer, list, text } from './env-fields.js';

export interface CorsSettings {
  /** Empty means no cross-origin access. */
  origins: string[];
  allowCredentials: boolean;
  allowMethods: string[];
  allowHeaders: string[];
}

export interface ServerSettings {
  host: string;
  port: number;
  /** Kept for parity with the guide's uvicorn workers; Node scales by replicas, so 1 by default. */
  workers: number;
  cors: CorsSettings;
  /** Host header allow-list; empty means any host. */
  allowedHosts: string[];
}

export const serverSchema = z
  .object({
    HOST: text(),
    PORT: integer(1, 65535),
    WORKERS: integer(1, 64),
    CORS_ORIGINS: list('origins'),
    CORS_ALLOW_CREDENTIALS: boolean(),
    CORS_ALLOW_METHODS: list('HTTP methods', (m) => /^[A-Za-z]+$/.test(m) || m === '*'),
    CORS_ALLOW_HEADERS: list('header names'),
    ALLOWED_HOSTS: list('host names'),
  })
  .transform((env): ServerSettings => ({
    host: env.HOST ?? '0.0.0.0',
    port: env.PORT ?? 8000,
    workers: env.WORKERS ?? 1,
    cors: {
      origins: env.CORS_ORIGINS ?? [],
      allowCredentials: env.CORS_ALLOW_CREDENTIALS ?? false,
      allowMethods: (env.CORS_ALLOW_METHODS ?? ['GET', 'POST', 'OPTIONS']).map((m) => m.toUpperCase()),
      allowHeaders: env.CORS_ALLOW_HEADERS ?? ['*'],
    },
    allowedHosts: env.ALLOWED_HOSTS ?? [],
  }));
