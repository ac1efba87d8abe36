// Text reading (PP-OCRv4 on onnxruntime-node, tesseract.js, or both) and text post-processing. Personal data is redacted by @media-ai/privacy, never here.
export { OCR_ENGINES, type OcrEngine, type OcrResult, type OcrTextReader } from './ocr-text-reader.js';
export { TesseractTextReader, unrotateBox, type TesseractTextReaderOptions } from './tesseract-text-reader.js';
export { PaddleTextReader, type PaddleTextReaderOptions, type CandidateLine } from './paddle/paddle-text-reader.js';
export { HybridTextReader, type HybridTextReaderOptions } from './paddle/hybrid-text-reader.js';
export { PADDLE_MODELS_VERSION, PADDLE_MODEL_FILES, ORT_VERSION } from './paddle/models.js';
export { createTextReader, type CreateTextReaderOptions } from './create-text-reader.js';
export { ThreadedTextReader, type ThreadedTextReaderOptions } from './threads/threaded-text-reader.js';
export { cleanLines, textScore, DEFAULT_LINE_FILTER, type OcrBox, type OcrLine, type OcrWord, type LineFilterOptions } from './lines.js';
export { prepareForOcr, DEFAULT_PREPROCESS, type PreprocessOptions, type PreparedImage } from './preprocess.js';
export { TESSERACT_VERSION, TRAINEDDATA_FILE, TRAINEDDATA_VERSION } from './tesseract-pool.js';
export { restoreWordSpaces, DEFAULT_RESTORE_SPACES, type RestoreSpacesOptions, type RestoreSpacesInput } from './spacing/restore-spaces.js';
export {
  wordLexicon,
  commonWordLexicon,
  loadWordLexicon,
  WordLexicon,
  LEXICON_LANGUAGES,
  COMMON_WORD_EXTRA_LANGUAGES,
  type LexiconLanguage,
} from './spacing/word-lexicon.js';
export { segmentLetters, DEFAULT_SEGMENT, type Segmentation, type SegmentOptions } from './spacing/segment-words.js';
export { gluedWords, isGluedWordToken, GLUED_METRIC_MIN_LETTERS } from './spacing/glued-tokens.js';
export { gapFeatures, gapScore, gapsForPublished, DEFAULT_GAP_SCORE, type GapFeatures, type GapScoreOptions } from './paddle/ctc-gaps.js';
