/** Entry point of the ocr service: legible text with personal data redacted, over Kafka (see runStageService). */
import { runStageService } from '@media-ai/runtime';
import { ocrService } from './service.js';

process.exitCode = await runStageService(ocrService);
process.exit();
