// Image normalisation, colours, ONNX model manager and detector/classifier decoding
export * from './models/manifest.js';
export * from './models/model-manager.js';
export * from './detection/decoded-image.js';
export * from './detection/inference-session.js';
export * from './detection/yolox.js';
export * from './detection/object-detector.js';
export * from './detection/item-categories.js';
export * from './detection/item-classifier.js';
export * from './detection/load-models.js';
export * from './annotate/draw-detections.js';
export * from './normalize/index.js';
export * from './colors/index.js';
