// Retry timing shared by every retrying caller: backoff with full jitter and an abortable wait.
export { backoffDelayMs, sleep, type BackoffPolicy } from './backoff.js';
