// Test-only entry point (`@media-ai/openai/test-support`): the OpenAI-compatible stand-in and the
// switch that points a suite at a real server instead. Never imported by product code.
export * from './openai-stand-in.js';
export * from './openai-target.js';
