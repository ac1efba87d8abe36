// Test-only entry point (`@media-ai/llm-service/test-support`): what the OpenAI-compatible stand-in
// (@media-ai/openai/test-support) answers the llm stage. Never imported by product code.
export * from './item-answers.js';
