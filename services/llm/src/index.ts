// LLM stage: category, brand and description from a vision model (OpenAI or OpenAI-compatible).
export {
  createLlmStage,
  failedRecord,
  llmCacheKey,
  llmStageEnabled,
  LLM_MODEL_VERSION_KEY,
  LLM_STAGE_NAME,
  type LlmStageOptions,
} from './stage.js';
export {
  openAiModelVersion,
  readAnswer,
  toLlmError,
  VisionDescriber,
  visionDescriberOptions,
  type OpenAiSettingsLike,
  type DescribeInput,
  type DescribeOptions,
  type ImageDetail,
  type ItemDescriber,
  type VisionDescriberOptions,
} from './vision-client.js';
export {
  checkItemDescription,
  itemDescriptionAnswerSchema,
  itemDescriptionResponseFormat,
  ITEM_CATEGORIES,
  ITEM_COLORS,
  ITEM_DESCRIPTION_SCHEMA_NAME,
  MAX_DESCRIPTION_CHARS,
  type AnswerCheck,
  type ItemCategory,
  type ItemColor,
  type ItemDescription,
} from './item-description.js';
export { contextText, PROMPT_VERSION, redactContextText, type PostContext } from './prompt.js';
export { isJpeg, stripJpegMetadata, type StrippedJpeg } from './jpeg-metadata.js';
