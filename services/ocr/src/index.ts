// OCR stage: legible text with personal data redacted
export {
  createOcrStage,
  redactReading,
  printedPortraitOn,
  OCR_STAGE_NAME,
  OCR_RESULT_VERSION,
  OCR_MODEL_VERSIONS,
  ocrCacheVersion,
  type OcrStageOptions,
  type PhotoTextReader,
  type PhotoFaces,
} from './stage.js';
export * from './from-config.js';
export * from './service.js';
