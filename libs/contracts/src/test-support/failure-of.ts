import { expect } from 'vitest';
import { MediaAiError } from '../errors.js';

/** Awaits a promise that must reject with a MediaAiError, and returns that error for assertions. */
export async function failureOf(promise: Promise<unknown>): Promise<MediaAiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaAiError);
  return error as MediaAiError;
}
