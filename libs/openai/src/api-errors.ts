/**
 * What a failed request to the vision-model API means: whether another attempt can help, the label
 * it is counted under in openai_api_requests_total, and the MediaAiError it becomes once the
 * client gives up. Pure mapping over the `openai` package's error classes.
 *
 * Must never call a request that the API rejected as malformed retryable (the same bytes get the
 * same 400), and never put the prompt or the answer into an error.
 */
// The SDK's error classes alone (the very classes OpenAI.APIError etc. are), not the client and its ~600 modules.
import * as OpenAIErrors from 'openai/error';
import { MediaAiError } from '@media-ai/contracts';

/** 408, 409, 429, 5xx, timeouts and connection failures: the API may answer the same request later. */
export function isTransientApiError(error: unknown): boolean {
  if (error instanceof OpenAIErrors.APIUserAbortError) return false;
  if (error instanceof OpenAIErrors.APIConnectionError) return true;
  if (!(error instanceof OpenAIErrors.APIError) || error.status === undefined) return false;
  return error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
}

/** The `status` label of openai_api_requests_total for a request that got no usable completion. */
export function requestStatusOf(error: unknown): string {
  if (error instanceof OpenAIErrors.APIUserAbortError) return 'aborted';
  if (error instanceof OpenAIErrors.APIConnectionTimeoutError) return 'timeout';
  if (error instanceof OpenAIErrors.APIConnectionError) return 'error';
  if (error instanceof OpenAIErrors.APIError && error.status !== undefined)
    return error.status === 429 ? 'rate_limited' : String(error.status);
  return 'error';
}

/**
 * Maps the SDK's error classes to the catalogue. Everything that says the API is unavailable to us
 * (timeouts, 5xx, rate limits, a revoked key, an unknown model) is MEDIA_AI_LLM_UNAVAILABLE:
 * retryable, and counted by the circuit breaker. A request the API rejected (400/422) is
 * MEDIA_AI_LLM_BAD_ANSWER: permanent for this photo.
 */
export function toLlmError(error: unknown): MediaAiError {
  if (error instanceof MediaAiError) return error;
  const cause = { cause: error };
  // Timeouts are a subclass of connection errors; both mean "no answer", and may work later.
  if (error instanceof OpenAIErrors.APIConnectionTimeoutError) {
    return new MediaAiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model API timed out', { ...cause, details: { reason: 'timeout' } });
  }
  // Our own abort (stage stopping): the record is not done, so it must be retried, not dead-lettered.
  if (error instanceof OpenAIErrors.APIUserAbortError) {
    return new MediaAiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model request was aborted', {
      ...cause,
      details: { reason: 'aborted' },
    });
  }
  if (error instanceof OpenAIErrors.APIConnectionError) {
    return new MediaAiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model API could not be reached', {
      ...cause,
      details: { reason: 'connection' },
    });
  }
  if (error instanceof OpenAIErrors.RateLimitError)
    return apiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model API rate-limited the request', error);
  if (error instanceof OpenAIErrors.InternalServerError || error instanceof OpenAIErrors.ConflictError) {
    return apiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model API failed', error);
  }
  // A wrong key, a revoked permission or an unknown model is the deployment's fault, not the photo's:
  // retryable, so the records wait for an operator instead of being dead-lettered as bad photos.
  if (
    error instanceof OpenAIErrors.AuthenticationError ||
    error instanceof OpenAIErrors.PermissionDeniedError ||
    error instanceof OpenAIErrors.NotFoundError
  ) {
    return apiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model API refused the credentials or model', error);
  }
  // 400/422: the API rejected this request (image it cannot read, schema it does not accept).
  if (error instanceof OpenAIErrors.BadRequestError || error instanceof OpenAIErrors.UnprocessableEntityError) {
    return apiError('MEDIA_AI_LLM_BAD_ANSWER', 'The vision model API rejected the request', error);
  }
  if (error instanceof OpenAIErrors.APIError) {
    const retryable = error.status === undefined || error.status === 408 || error.status >= 500;
    return apiError(
      retryable ? 'MEDIA_AI_LLM_UNAVAILABLE' : 'MEDIA_AI_LLM_BAD_ANSWER',
      'The vision model API answered with an error',
      error,
    );
  }
  return new MediaAiError('MEDIA_AI_INTERNAL', error instanceof Error ? error.message : String(error), cause);
}

function apiError(
  code: 'MEDIA_AI_LLM_UNAVAILABLE' | 'MEDIA_AI_LLM_BAD_ANSWER',
  message: string,
  error: OpenAIErrors.APIError,
): MediaAiError {
  const details: Record<string, string | number | boolean> = {};
  if (error.status !== undefined) details.status = error.status;
  if (typeof error.code === 'string') details.api_code = error.code;
  if (typeof error.type === 'string') details.api_type = error.type;
  if (error.requestID) details.request_id = error.requestID;
  // The API's own message is kept (it names the limit or the invalid parameter); it never echoes prompt text.
  return new MediaAiError(code, `${message}: ${error.message}`, { cause: error, details });
}
