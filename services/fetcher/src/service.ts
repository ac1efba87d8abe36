/** The fetcher as a service of its own (downloads and normalizes the photos of posts.events), for main.ts and `media-ai stage fetcher`. */
import { STAGES } from '@media-ai/contracts';
import type { StageServiceDefinition } from '@media-ai/runtime';
import { deployedAnalysisStages, fetcherFromConfig, loadFaceDetector, malwareScannerFromConfig } from './from-config.js';

export const fetcherService: StageServiceDefinition = {
  name: STAGES.fetcher,
  hashesIdentifiers: true,
  build: async ({ config, blobs, logger, metrics }) => {
    const { faces, reason } = await loadFaceDetector(config, metrics);
    if (reason) logger.warn({ reason }, 'fetcher runs without face detection');
    // Not required to answer yet: a clamd sidecar may still be loading its signatures; readiness waits for it.
    const scanner = malwareScannerFromConfig(config, metrics);
    if (scanner) logger.info({ clamd: scanner.describe() }, 'photos are scanned for malware before decoding');
    else logger.warn('SCAN_FOR_MALWARE is off: photos are decoded without a malware scan');
    return {
      stage: fetcherFromConfig(config, { blobs, metrics, logger, expectedStages: deployedAnalysisStages(config), faces, scanner }),
      status: { reason, versions: faces ? { [faces.name]: faces.version } : {} },
      malwareScanner: scanner,
    };
  },
};
