/**
 * What the llm stage asks the vision model about one photo, and what it does with the answer: the
 * photo goes out as the outgoing image (metadata-free JPEG, at most 1024 px), with the stage's
 * instructions and the post's redacted text, the answer must pass the item-description schema, and
 * its free text goes through the personal-data redaction before anyone sees it. The call itself
 * (quotas, retries, response formats, usage and cost) is @media-ai/openai's vision client.
 *
 * Must never send anything but the outgoing image and the redacted post text: never the photo's
 * URL, user names, contacts or locations. Must never return an answer that did not pass the schema
 * or was not redacted.
 */
import type { CallUsage, ImageDetail, OpenAiVisionClient } from '@media-ai/openai';
import { tracerFor, withSpan } from '@media-ai/telemetry';
import { redactAnswer } from './answer-redaction.js';
import { checkItemDescription, itemDescriptionResponseFormat, type ItemDescription } from './item-description.js';
import { outgoingSideFor, prepareOutgoingImage } from './outgoing-image.js';
import { contextText, systemPrompt, type PostContext } from './prompt.js';

const tracer = tracerFor('@media-ai/llm-service');

export interface DescribeInput {
  /** The normalized JPEG from the blob store. */
  jpeg: Buffer;
  context: PostContext;
}

export interface DescribeOptions {
  /** Aborts waits and the HTTP request (stage shutdown). */
  signal?: AbortSignal;
}

export interface DescribeResult {
  /** Validated, normalized and redacted. */
  answer: ItemDescription;
  usage: CallUsage;
  /** Kinds of personal data removed from the answer's text. */
  redactedKinds: string[];
}

/** What the LLM stage needs from a describer: lets tests and the embedded mode swap the adapter. */
export interface ItemDescriber {
  /** 'openai/<model>': the model_versions value and part of the result-cache key. */
  readonly modelVersion: string;
  /** Part of the result-cache key: the same photo at another detail is another answer. */
  readonly imageDetail: ImageDetail;
  /** Rejects with a MediaAiError whose details carry the call's usage (callUsageOf reads it back). */
  describe(input: DescribeInput, options?: DescribeOptions): Promise<DescribeResult>;
}

export class VisionDescriber implements ItemDescriber {
  readonly modelVersion: string;
  readonly imageDetail: ImageDetail;
  // Built once: the same strict schema goes with every request.
  private readonly schema = itemDescriptionResponseFormat();

  constructor(readonly client: OpenAiVisionClient) {
    this.modelVersion = client.modelVersion;
    this.imageDetail = client.imageDetail;
  }

  describe(input: DescribeInput, options: DescribeOptions = {}): Promise<DescribeResult> {
    // Attributes are ids of the model and counts only: never the prompt, the image or the answer.
    return withSpan(
      tracer,
      'openai describe',
      { attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': this.client.model, 'media_ai.image_detail': this.imageDetail } },
      async (span) => {
        const image = await prepareOutgoingImage(input.jpeg, outgoingSideFor(this.imageDetail));
        const { answer, usage } = await this.client.ask(
          { instructions: systemPrompt, text: contextText(input.context), image, schema: this.schema, check: checkItemDescription },
          options,
        );
        span.setAttributes({
          'media_ai.requests': usage.requests,
          'gen_ai.usage.input_tokens': usage.promptTokens,
          'gen_ai.usage.output_tokens': usage.completionTokens,
        });
        const redacted = redactAnswer(answer);
        return { answer: redacted.answer, usage, redactedKinds: redacted.redactedKinds };
      },
    );
  }
}
