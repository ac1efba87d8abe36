/**
 * Test-only: the stage processes of a chaos run as a deployment keeps them — one replica of each
 * stage, replaced at once when the run kills one (a pod replaced by its ReplicaSet), restarted with a
 * growing back-off when one exits on its own (CrashLoopBackOff; each such exit is recorded: it may be
 * a bug), and a second replica on demand (a scale-up). Every process's /api/v1/health/ready is polled
 * while it runs and each answer kept with its time, for the readiness checks.
 *
 * It never decides what to kill or when (the run does), and it never stops Redis, the registry or
 * the broker.
 */
import { StageProcess, type StageName } from '../support/stage-process.js';
import { CHAOS_STAGES } from './plan.js';

/** How often each process's readiness is asked. */
const READY_POLL_MS = 250;
/** A readiness answer slower than this counts as no answer (a busy event loop), not as "not ready". */
const READY_TIMEOUT_MS = 2_000;
/** Kubernetes' CrashLoopBackOff starts at 10 s; shorter here, the same doubling. */
const RESTART_BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000];

/** One readiness answer: `ready` true (200) or false (503). */
export interface ReadinessSample {
  at: number;
  ready: boolean;
}

export interface Replica {
  readonly stage: StageName;
  readonly process: StageProcess;
  readonly startedAt: number;
  /** Set when the run killed or stopped it on purpose. */
  endedOnPurpose: boolean;
  endedAt: number | null;
  readonly readiness: ReadinessSample[];
}

/** An exit nobody asked for. */
export interface UnplannedExit {
  stage: StageName;
  at: number;
  code: number | null;
  /** The process's last lines of output. */
  logs: string;
}

export class StageFleet {
  readonly replicas: Replica[] = [];
  readonly unplannedExits: UnplannedExit[] = [];
  private closed = false;
  private readonly crashes = new Map<StageName, number>();

  constructor(private readonly envFor: (stage: StageName) => Record<string, string>) {}

  async startAll(): Promise<void> {
    for (const stage of CHAOS_STAGES) await this.start(stage);
  }

  /** Starts one more replica of the stage (a replacement or a scale-up). */
  async start(stage: StageName): Promise<Replica> {
    const process = await StageProcess.create(stage, this.envFor(stage));
    process.start();
    const replica: Replica = { stage, process, startedAt: Date.now(), endedOnPurpose: false, endedAt: null, readiness: [] };
    this.replicas.push(replica);
    void this.pollReadiness(replica);
    void process.whenExited().then((code) => this.exited(replica, code));
    return replica;
  }

  /** The replicas of the stage that are running now. */
  running(stage: StageName): Replica[] {
    return this.replicas.filter((r) => r.stage === stage && r.endedAt === null);
  }

  /** Whether some running replica of the stage answered ready last time it was asked. */
  isReady(stage: StageName): boolean {
    return this.running(stage).some((r) => r.readiness.at(-1)?.ready === true);
  }

  /** Resolves once a replica of the stage is ready; false after `timeoutMs`. */
  async waitReady(stage: StageName, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.isReady(stage)) return true;
      await sleep(READY_POLL_MS);
    }
    return false;
  }

  /**
   * Ends the replica with the signal, on purpose. With `replace`, a new replica starts right away
   * (what a ReplicaSet does for a killed pod); without, the deployment is scaled down by one.
   */
  async end(
    replica: Replica,
    signal: 'SIGKILL' | 'SIGTERM',
    replace: boolean,
  ): Promise<{ code: number | null; replacement: Replica | null }> {
    replica.endedOnPurpose = true;
    const code = signal === 'SIGKILL' ? (await replica.process.kill(), null) : await replica.process.terminate();
    replica.endedAt ??= Date.now();
    return { code, replacement: replace ? await this.start(replica.stage) : null };
  }

  /** Stops every replica with SIGTERM; resolves with the exit codes. */
  async stopAll(): Promise<Array<{ stage: StageName; code: number | null }>> {
    this.closed = true;
    const running = this.replicas.filter((r) => r.endedAt === null);
    return Promise.all(
      running.map(async (replica) => {
        replica.endedOnPurpose = true;
        const code = await replica.process.terminate();
        replica.endedAt ??= Date.now();
        return { stage: replica.stage, code };
      }),
    );
  }

  /** Last resort at the end of a failed run. */
  async killAll(): Promise<void> {
    this.closed = true;
    await Promise.all(this.replicas.map((r) => r.process.kill().catch(() => undefined)));
  }

  logs(stage?: StageName): string {
    const replicas = stage ? this.replicas.filter((r) => r.stage === stage) : this.replicas.filter((r) => r.endedAt === null);
    return replicas.map((r) => r.process.logs()).join('\n');
  }

  private exited(replica: Replica, code: number | null): void {
    replica.endedAt ??= Date.now();
    if (replica.endedOnPurpose || this.closed) return;
    this.unplannedExits.push({ stage: replica.stage, at: replica.endedAt, code, logs: replica.process.logs() });
    const crashes = (this.crashes.get(replica.stage) ?? 0) + 1;
    this.crashes.set(replica.stage, crashes);
    const backoff = RESTART_BACKOFF_MS[Math.min(crashes, RESTART_BACKOFF_MS.length) - 1]!;
    setTimeout(() => {
      if (!this.closed) void this.start(replica.stage);
    }, backoff);
  }

  private async pollReadiness(replica: Replica): Promise<void> {
    const url = `http://127.0.0.1:${replica.process.port}/api/v1/health/ready`;
    while (replica.endedAt === null && !this.closed) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
        await response.arrayBuffer();
        if (replica.endedAt === null) replica.readiness.push({ at: Date.now(), ready: response.ok });
        // A ready answer resets the crash count, as a pod that came up resets its back-off.
        if (response.ok) this.crashes.delete(replica.stage);
      } catch {
        // Not listening yet, or too busy to answer in time: no answer is not an answer.
      }
      await sleep(READY_POLL_MS);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
