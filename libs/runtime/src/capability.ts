/**
 * What an analysis stage can do in this process: on with the model or engine versions it runs, or
 * off with the reason (no model, no API key). Health reports it, the fetcher's manifest lists only
 * stages that are on, and nothing is ever faked in place of a stage that is off.
 */
import type { AnalysisStage } from '@media-ai/contracts';
import type { Stage } from '@media-ai/stream';

export interface CapabilityStatus {
  stage: AnalysisStage;
  enabled: boolean;
  /** Why it is off or partial (a model that could not be resolved, no API key...). */
  reason: string | null;
  /** Model or engine versions in use. */
  versions: Record<string, string>;
}

/** A stage built from configuration, or null with the status saying why it is off. */
export interface BuiltCapability {
  stage: Stage | null;
  status: CapabilityStatus;
}
