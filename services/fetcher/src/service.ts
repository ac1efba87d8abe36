/** The fetcher as a service of its own (downloads and normalizes the photos of posts.events), for main.ts and `media-ai stage fetcher`. */
import { STAGES } from '@media-ai/contracts';
import type { StageServiceDefinition } from '@media-ai/runtime';
import { deployedAnalysisStages, fetcherFromConfig, loadFaceDetector } from './from-config.js';

export const fetcherService: StageServiceDefinition = {
  name: STAGES.fetcher,
  hashesIdentifiers: true,
  build: async ({ config, blobs, logger, metrics }) => {
    const { faces, reason } = await loadFaceDetector(config, metrics);
    if (reason) logger.warn({ reason }, 'fetcher runs without face detection');
    return {
      stage: fetcherFromConfig(config, { blobs, metrics, expectedStages: deployedAnalysisStages(config), faces }),
      status: { reason, versions: faces ? { [faces.name]: faces.version } : {} },
    };
  },
};
