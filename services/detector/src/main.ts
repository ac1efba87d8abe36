/** Entry point of the detector service: objects and item classes with ONNX models, over Kafka (see runStageService). */
import { runStageService } from '@media-ai/runtime';
import { detectorService } from './service.js';

process.exitCode = await runStageService(detectorService);
process.exit();
