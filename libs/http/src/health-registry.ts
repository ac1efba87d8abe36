/**
 * Where stages declare what "healthy" and "ready" mean for them: dependency checks (Kafka, Redis,
 * GCS, OpenAI, models) run with a timeout for /health/detailed, and readiness conditions (models
 * loaded, transport connected) for /health/ready.
 * Must never let one hung dependency hang a probe: every check and condition runs under a timeout,
 * and a check that throws is reported, not propagated.
 */

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface CheckOutcome {
  status: HealthStatus;
  /** Safe to show on an unauthenticated endpoint: no secrets, no personal data. */
  details?: Record<string, unknown>;
}

export interface DependencyCheck {
  name: string;
  /** A critical dependency that is unhealthy makes the whole service unhealthy (503); any other only degraded. */
  critical: boolean;
  check(): Promise<CheckOutcome>;
  /** Overrides the registry's default timeout for this check. */
  timeoutMs?: number;
}

export interface DependencyReport {
  status: HealthStatus;
  critical: boolean;
  latency_ms: number;
  details?: Record<string, unknown>;
}

export interface HealthReport {
  status: HealthStatus;
  checks: Record<string, DependencyReport>;
}

export interface ReadinessState {
  ready: boolean;
  /** Why not, in words an operator understands ("models not loaded: yolox-nano"). */
  reason?: string;
}

export interface ReadinessCondition {
  name: string;
  check(): ReadinessState | Promise<ReadinessState>;
}

export interface ReadinessReport {
  ready: boolean;
  conditions: Record<string, ReadinessState>;
  /** One line per unmet condition, `name: reason`. */
  reasons: string[];
}

/** A readiness condition the owner flips: not ready until told otherwise. */
export interface ReadinessFlag {
  readonly name: string;
  setReady(): void;
  setNotReady(reason: string): void;
  readonly isReady: boolean;
}

export interface HealthRegistryOptions {
  /** Default time a check or condition gets before it counts as failed. Default 2000 ms. */
  timeoutMs?: number;
}

const STATUSES: readonly HealthStatus[] = ['healthy', 'degraded', 'unhealthy'];

class TimeoutError extends Error {}

async function withTimeout<T>(work: () => T | Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${timeoutMs} ms`)), timeoutMs);
    // A probe must not keep a process alive that is otherwise shutting down.
    timer.unref();
  });
  try {
    // Promise.resolve().then(): a check that throws synchronously is caught like one that rejects.
    return await Promise.race([Promise.resolve().then(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class HealthRegistry {
  private readonly checks = new Map<string, DependencyCheck>();
  private readonly conditions = new Map<string, ReadinessCondition>();
  private readonly timeoutMs: number;
  // Probes from several sources (kubelet, load balancer, a human) should not multiply the load
  // on dependencies: concurrent callers share one run.
  private inFlight: Promise<HealthReport> | undefined;

  constructor(options: HealthRegistryOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  addCheck(check: DependencyCheck): this {
    if (this.checks.has(check.name)) throw new Error(`health check "${check.name}" is already registered`);
    this.checks.set(check.name, check);
    return this;
  }

  addReadiness(condition: ReadinessCondition): this {
    if (this.conditions.has(condition.name)) throw new Error(`readiness condition "${condition.name}" is already registered`);
    this.conditions.set(condition.name, condition);
    return this;
  }

  /** Registers a condition that starts not ready with `initialReason`. */
  readinessFlag(name: string, initialReason = 'not started yet'): ReadinessFlag {
    let state: ReadinessState = { ready: false, reason: initialReason };
    this.addReadiness({ name, check: () => state });
    return {
      name,
      setReady: () => {
        state = { ready: true };
      },
      setNotReady: (reason: string) => {
        state = { ready: false, reason };
      },
      get isReady() {
        return state.ready;
      },
    };
  }

  checkDependencies(): Promise<HealthReport> {
    this.inFlight ??= this.runChecks().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  async checkReadiness(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.conditions.values()].map(async (condition): Promise<[string, ReadinessState]> => {
        try {
          const state = await withTimeout(() => condition.check(), this.timeoutMs);
          return [condition.name, state.ready ? { ready: true } : { ready: false, reason: state.reason ?? 'not ready' }];
        } catch (error) {
          return [condition.name, { ready: false, reason: describeFailure(error) }];
        }
      }),
    );
    const conditions = Object.fromEntries(entries);
    const reasons = entries.filter(([, state]) => !state.ready).map(([name, state]) => `${name}: ${state.reason}`);
    return { ready: reasons.length === 0, conditions, reasons };
  }

  private async runChecks(): Promise<HealthReport> {
    const entries = await Promise.all([...this.checks.values()].map(async (check) => [check.name, await this.runCheck(check)] as const));
    const checks = Object.fromEntries(entries);
    return { status: overallStatus(Object.values(checks)), checks };
  }

  private async runCheck(check: DependencyCheck): Promise<DependencyReport> {
    const started = performance.now();
    const latency = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      const outcome = await withTimeout(() => check.check(), check.timeoutMs ?? this.timeoutMs);
      if (!STATUSES.includes(outcome?.status)) {
        return {
          status: 'unhealthy',
          critical: check.critical,
          latency_ms: latency(),
          details: { error: `check returned status ${JSON.stringify(outcome?.status)}` },
        };
      }
      return {
        status: outcome.status,
        critical: check.critical,
        latency_ms: latency(),
        ...(outcome.details ? { details: outcome.details } : {}),
      };
    } catch (error) {
      return { status: 'unhealthy', critical: check.critical, latency_ms: latency(), details: { error: describeFailure(error) } };
    }
  }
}

/** Unhealthy only when something critical is unhealthy; any other trouble degrades. */
export function overallStatus(reports: readonly Pick<DependencyReport, 'status' | 'critical'>[]): HealthStatus {
  if (reports.some((r) => r.critical && r.status === 'unhealthy')) return 'unhealthy';
  if (reports.some((r) => r.status !== 'healthy')) return 'degraded';
  return 'healthy';
}
