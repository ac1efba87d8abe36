// Detector stage: objects and item classes with ONNX models
export {
  createDetectorStage,
  detectorStageEnabled,
  failedDetectionsRecord,
  DETECTOR_RESULT_VERSION,
  DETECTOR_STAGE_NAME,
  MAX_COLORED_OBJECTS,
  type DetectorStageOptions,
  type PhotoItemClassifier,
  type PhotoObjectDetector,
} from './stage.js';
export * from './from-config.js';
export * from './service.js';
