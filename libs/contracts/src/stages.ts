/**
 * The stages of the pipeline by name: what each stage calls itself (runner, logs, metrics, cache keys,
 * health), what a manifest lists among its expected stages and what a part's failure names. One list,
 * so the fetcher, the runtime and the aggregator can never disagree on a spelling.
 */
export const STAGES = {
  fetcher: 'fetcher',
  detector: 'detector',
  ocr: 'ocr',
  llm: 'llm',
  aggregator: 'aggregator',
} as const;

export type StageName = (typeof STAGES)[keyof typeof STAGES];

/** The analysis stages that run per photo and report a part to the aggregator. */
export const ANALYSIS_STAGES = [STAGES.detector, STAGES.ocr, STAGES.llm] as const;
export type AnalysisStage = (typeof ANALYSIS_STAGES)[number];
