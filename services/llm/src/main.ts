/** Entry point of the llm service: category, brand and description from a vision model, over Kafka (see runStageService). */
import { runStageService } from '@media-ai/runtime';
import { llmService } from './service.js';

process.exitCode = await runStageService(llmService);
process.exit();
