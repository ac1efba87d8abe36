// tesseract.js worker pool, text post-processing and personal-data redaction
export { TextReader, unrotateBox, type OcrResult, type TextReaderOptions } from './text-reader.js';
export { cleanLines, textScore, DEFAULT_LINE_FILTER, type OcrBox, type OcrLine, type OcrWord, type LineFilterOptions } from './lines.js';
export { prepareForOcr, DEFAULT_PREPROCESS, type PreprocessOptions, type PreparedImage } from './preprocess.js';
export { TESSERACT_VERSION, TRAINEDDATA_VERSION } from './worker-pool.js';
export { redactPersonalData, luhnValid, ibanValid, type RedactionResult, type RedactionOptions, type SensitiveIdentifierValue } from './redact.js';
