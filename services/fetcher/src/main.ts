/** Entry point of the fetcher service: downloads and normalizes the photos of posts.events, over Kafka (see runStageService). */
import { runStageService } from '@media-ai/runtime';
import { fetcherService } from './service.js';

process.exitCode = await runStageService(fetcherService);
process.exit();
