/**
 * The guide's probe routes: /api/v1/health (cheap, for load balancers and the Docker HEALTHCHECK),
 * /health/detailed (every dependency, with latency), /health/ready (Kubernetes readiness: models
 * loaded, transport connected), /health/live (Kubernetes liveness: the event loop answers).
 * All four answer without a token and are not rate limited; /health/detailed gives the checks'
 * details and the configuration only to a caller with a valid API token.
 * Must never make liveness depend on a dependency: a Redis outage must not get pods restarted; and
 * never show configuration values, paths or hosts to a caller without a token.
 */
import type { FastifyInstance } from 'fastify';
import type { HealthRegistry } from './health-registry.js';

export interface HealthRoutesOptions {
  service: string;
  version: string;
  health: HealthRegistry;
  /** A redacted configuration view to show on /health/detailed (describeConfig's output). */
  configDescription?: Record<string, unknown>;
}

const STATUS = { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'] } as const;
const FREE_OBJECT = { type: 'object', additionalProperties: true } as const;

const basicSchema = {
  type: 'object',
  required: ['status', 'service', 'version', 'timestamp'],
  properties: {
    status: { type: 'string' },
    service: { type: 'string' },
    version: { type: 'string' },
    timestamp: { type: 'string', format: 'date-time' },
  },
} as const;

const detailedSchema = {
  type: 'object',
  required: ['status', 'service', 'version', 'timestamp', 'checks'],
  properties: {
    status: STATUS,
    service: { type: 'string' },
    version: { type: 'string' },
    timestamp: { type: 'string', format: 'date-time' },
    checks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['status', 'critical', 'latency_ms'],
        properties: { status: STATUS, critical: { type: 'boolean' }, latency_ms: { type: 'number' }, details: FREE_OBJECT },
      },
    },
    config: FREE_OBJECT,
  },
} as const;

const readySchema = {
  type: 'object',
  required: ['status', 'conditions', 'reasons'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    conditions: {
      type: 'object',
      additionalProperties: { type: 'object', required: ['ready'], properties: { ready: { type: 'boolean' }, reason: { type: 'string' } } },
    },
    reasons: { type: 'array', items: { type: 'string' } },
  },
} as const;

const liveSchema = {
  type: 'object',
  required: ['status', 'uptime_seconds', 'event_loop_delay_ms'],
  properties: { status: { type: 'string' }, uptime_seconds: { type: 'number' }, event_loop_delay_ms: { type: 'number' } },
} as const;

/** Probes run every few seconds: log them only when something is wrong. */
const PROBE_LOG_LEVEL = 'warn';
/** Probes answer everyone (load balancers, kubelets, the guide's smoke test) and are never rate limited. */
const PUBLIC = { public: true };

export function registerHealthRoutes(app: FastifyInstance, options: HealthRoutesOptions): void {
  const { service, version, health } = options;
  const startedAt = performance.now();

  app.get(
    '/api/v1/health',
    {
      logLevel: PROBE_LOG_LEVEL,
      config: PUBLIC,
      schema: { tags: ['health'], summary: 'Cheap health check (no dependency calls)', response: { 200: basicSchema } },
    },
    async () => ({ status: 'healthy', service, version, timestamp: new Date().toISOString() }),
  );

  app.get(
    '/api/v1/health/detailed',
    {
      logLevel: PROBE_LOG_LEVEL,
      config: PUBLIC,
      schema: {
        tags: ['health'],
        summary:
          'Every registered dependency check, run under a timeout; 503 when a critical one is unhealthy. ' +
          'Details (versions, hosts, reasons) and the configuration only with a valid API token.',
        response: { 200: detailedSchema, 503: detailedSchema },
      },
    },
    async (request, reply) => {
      const report = await health.checkDependencies();
      // Degraded still serves traffic (e.g. LLM down: posts publish without descriptions), so 200.
      reply.status(report.status === 'unhealthy' ? 503 : 200);
      // Details name hosts, folders and model files; only a caller with a token sees them.
      const trusted = request.apiClient !== null;
      const checks = trusted
        ? report.checks
        : Object.fromEntries(
            Object.entries(report.checks).map(([name, { status, critical, latency_ms }]) => [name, { status, critical, latency_ms }]),
          );
      return {
        status: report.status,
        service,
        version,
        timestamp: new Date().toISOString(),
        checks,
        ...(trusted && options.configDescription ? { config: options.configDescription } : {}),
      };
    },
  );

  app.get(
    '/api/v1/health/ready',
    {
      logLevel: PROBE_LOG_LEVEL,
      config: PUBLIC,
      schema: {
        tags: ['health'],
        summary: 'Readiness: 200 only when every readiness condition holds',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const report = await health.checkReadiness();
      reply.status(report.ready ? 200 : 503);
      return { status: report.ready ? 'ready' : 'not_ready', conditions: report.conditions, reasons: report.reasons };
    },
  );

  app.get(
    '/api/v1/health/live',
    {
      logLevel: PROBE_LOG_LEVEL,
      config: PUBLIC,
      schema: { tags: ['health'], summary: 'Liveness: answers while the event loop turns', response: { 200: liveSchema } },
    },
    async () => {
      // Answering at all proves the loop turns; the measured delay is there for a human reading it.
      const before = performance.now();
      await new Promise<void>((resolve) => setImmediate(resolve));
      return {
        status: 'alive',
        uptime_seconds: Math.round((performance.now() - startedAt) / 100) / 10,
        event_loop_delay_ms: Math.round((performance.now() - before) * 100) / 100,
      };
    },
  );
}
