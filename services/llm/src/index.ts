// LLM stage: category, brand and description from a vision model (OpenAI or OpenAI-compatible).
// What other projects use: the stage (deploy checks build it), its wiring from configuration (the
// embedded pipeline) and its service definition (main.ts, `media-ai stage llm`).
export { createLlmStage, type LlmStageOptions } from './stage.js';
export { llmFromConfig, type LlmDeps } from './from-config.js';
export { llmService } from './service.js';
