/** Entry point of the aggregator service: joins the parts of each post into post.enhanced, over Kafka (see runStageService). */
import { runStageService } from '@media-ai/runtime';
import { aggregatorService } from './service.js';

process.exitCode = await runStageService(aggregatorService);
process.exit();
