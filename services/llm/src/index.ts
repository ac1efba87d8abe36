// LLM stage: category, brand and description from a vision model (OpenAI or OpenAI-compatible).
// Exported: what other projects use: the stage (the deploy checks build it), its wiring from
// configuration (the embedded pipeline) and its service definition (`media-ai stage llm`).
export { createLlmStage } from './stage.js';
export { llmFromConfig } from './from-config.js';
export { llmService } from './service.js';
