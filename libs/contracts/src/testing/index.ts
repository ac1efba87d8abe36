// Test-only helpers of @media-ai/contracts (import '@media-ai/contracts/testing'); never part of the product API.
export * from './platform-contract.js';
export * from './failure-of.js';
