/**
 * Several listeners of the runner's stage events (metrics, logs, a benchmark's timer) as one hook.
 * A listener that throws must not keep the others from seeing the event; the runner ignores what
 * the combined hook throws anyway.
 */
import type { StageEvent } from '@media-ai/stream';

export type StageEventHook = (event: StageEvent) => void;

export function combineStageHooks(...hooks: Array<StageEventHook | undefined>): StageEventHook {
  const present = hooks.filter((hook): hook is StageEventHook => hook !== undefined);
  return (event) => {
    for (const hook of present) {
      try {
        hook(event);
      } catch {
        // Observability must never change what is processed; the next listener still runs.
      }
    }
  };
}
