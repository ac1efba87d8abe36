/**
 * Ramped HTTP load with autocannon, k6-style: stages of { duration, target } ramp the number of
 * connections linearly from the previous target to the next, approximated by short autocannon runs
 * at the interpolated connection count (the midpoint of each step, at least 1). Every response's
 * latency and status is kept, so p50/p95/p99 cover the whole ramp (autocannon's own histogram gives
 * no p95 and is per run). Figures are printed, never asserted: the machine may be shared.
 */
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { percentile } from '../quality/measure.js';

export interface RampStage {
  /** Seconds to reach target from the previous stage's target (0 before the first). */
  durationS: number;
  target: number;
}

export interface RampStep {
  connections: number;
  durationS: number;
}

/** The autocannon runs that approximate the stages, each at most stepS long; steps at 0 connections are dropped. */
export function planSteps(stages: readonly RampStage[], stepS: number): RampStep[] {
  const steps: RampStep[] = [];
  let from = 0;
  for (const { durationS, target } of stages) {
    const count = Math.max(1, Math.round(durationS / stepS));
    for (let i = 0; i < count; i++) {
      const connections = Math.round(from + ((target - from) * (i + 0.5)) / count);
      if (connections > 0) steps.push({ connections, durationS: durationS / count });
    }
    from = target;
  }
  return steps;
}

export interface LoadFigures {
  requests: number;
  /** Answered 2xx and, where the caller checks bodies, judged good. */
  ok: number;
  /** Non-2xx answers, bodies judged bad, connection errors and timeouts. */
  errors: number;
  errorKinds: Record<string, number>;
  elapsedS: number;
  latenciesMs: number[];
  maxConnections: number;
}

export interface RunOptions {
  url: string;
  requests: AutocannonRequest[];
  /** Seconds a request may take before it counts as a timeout. */
  timeoutS?: number;
  /** Judges a 2xx body; a string names the kind of error it is. */
  judge?: (body: string) => string | null;
}

function runOne(
  options: RunOptions,
  step: { connections: number; durationS?: number; amount?: number },
  figures: LoadFigures,
): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const count = (kind: string) => {
      figures.errors++;
      figures.errorKinds[kind] = (figures.errorKinds[kind] ?? 0) + 1;
    };
    const requests = options.requests.map((request) => ({
      ...request,
      onResponse: (status: number, body: string) => {
        if (status < 200 || status > 299) return count(`HTTP ${status}`);
        const problem = options.judge?.(body) ?? null;
        if (problem) count(problem);
        else figures.ok++;
      },
    }));
    const instance = autocannon(
      {
        url: options.url,
        connections: step.connections,
        ...(step.amount !== undefined ? { amount: step.amount } : { duration: step.durationS }),
        timeout: options.timeoutS ?? 10,
        requests,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, _status, _bytes, ms) => {
      figures.requests++;
      figures.latenciesMs.push(ms);
    });
    instance.on('reqError', (error) => count(/timeout/i.test(error.message) ? 'timeout' : error.message.split('\n')[0]!));
  });
}

function emptyFigures(): LoadFigures {
  return { requests: 0, ok: 0, errors: 0, errorKinds: {}, elapsedS: 0, latenciesMs: [], maxConnections: 0 };
}

/** Runs the steps one after another; onStep reports each as it starts. */
export async function runRamp(
  options: RunOptions,
  steps: readonly RampStep[],
  onStep: (step: RampStep, index: number) => void = () => undefined,
): Promise<LoadFigures> {
  const figures = emptyFigures();
  const started = performance.now();
  for (const [index, step] of steps.entries()) {
    onStep(step, index);
    figures.maxConnections = Math.max(figures.maxConnections, step.connections);
    await runOne(options, step, figures);
  }
  figures.elapsedS = (performance.now() - started) / 1000;
  return figures;
}

export interface CountedStep {
  connections: number;
  /** Requests in this step: all are answered (or time out) before the next step starts. */
  amount: number;
}

/**
 * Steps of a fixed number of requests each (slow requests: none is left in flight between steps).
 * Steps not started by deadlineS (seconds from the start) are skipped and named in `skipped`.
 */
export async function runCountedSteps(
  options: RunOptions,
  steps: readonly CountedStep[],
  deadlineS: number,
  onStep: (step: CountedStep, index: number) => void = () => undefined,
): Promise<LoadFigures & { skipped: CountedStep[] }> {
  const figures = emptyFigures();
  const started = performance.now();
  const skipped: CountedStep[] = [];
  for (const [index, step] of steps.entries()) {
    if ((performance.now() - started) / 1000 > deadlineS) {
      skipped.push(step);
      continue;
    }
    onStep(step, index);
    figures.maxConnections = Math.max(figures.maxConnections, step.connections);
    await runOne(options, step, figures);
  }
  figures.elapsedS = (performance.now() - started) / 1000;
  return { ...figures, skipped };
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** The figures as printed lines: throughput, latency percentiles, errors. */
export function describeFigures(figures: LoadFigures, rate: { label: string; perSeconds: number; of: 'requests' | 'ok' }): string[] {
  const count = rate.of === 'ok' ? figures.ok : figures.requests;
  const lat = figures.latenciesMs;
  const kinds = Object.entries(figures.errorKinds)
    .map(([kind, n]) => `${kind}: ${n}`)
    .join(', ');
  return [
    `requests      ${figures.requests} answered, ${figures.ok} ok, in ${fixed(figures.elapsedS, 1)} s (up to ${figures.maxConnections} connections)`,
    `throughput    ${fixed((count / figures.elapsedS) * rate.perSeconds, 1)} ${rate.label}`,
    `latency       p50 ${fixed(percentile(lat, 50))} ms, p95 ${fixed(percentile(lat, 95))} ms, p99 ${fixed(percentile(lat, 99))} ms, max ${fixed(lat.reduce((a, b) => Math.max(a, b), -Infinity))} ms`,
    `errors        ${figures.errors}${kinds ? ` (${kinds})` : ''}`,
  ];
}
