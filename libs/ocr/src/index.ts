// Text reading (PP-OCRv4 on onnxruntime-node, tesseract.js, or both), text post-processing and personal-data redaction
export { TextReader, unrotateBox, type OcrResult, type TextReaderOptions } from './text-reader.js';
export { PaddleTextReader, type PaddleTextReaderOptions } from './paddle/paddle-text-reader.js';
export { HybridTextReader, type HybridTextReaderOptions } from './paddle/hybrid-text-reader.js';
export { PADDLE_MODELS_VERSION, ORT_VERSION } from './paddle/models.js';
export { createTextReader, OCR_ENGINES, type OcrEngine, type OcrTextReader, type CreateTextReaderOptions } from './create-text-reader.js';
export { cleanLines, textScore, DEFAULT_LINE_FILTER, type OcrBox, type OcrLine, type OcrWord, type LineFilterOptions } from './lines.js';
export { prepareForOcr, DEFAULT_PREPROCESS, type PreprocessOptions, type PreparedImage } from './preprocess.js';
export { TESSERACT_VERSION, TRAINEDDATA_VERSION } from './worker-pool.js';
export { redactPersonalData, luhnValid, ibanValid, type RedactionResult, type RedactionOptions } from './redact.js';
