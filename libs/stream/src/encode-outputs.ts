/**
 * Turns a stage's outbound records into producer records: each value encoded with its topic's
 * codec, headers propagated from the input (the trace context from the span that produced them)
 * and merged with the record's own. Shared by batch processing and timers so both publish alike.
 * It never sends anything.
 */
import type { Context } from '@opentelemetry/api';
import type { Codecs } from '@media-ai/contracts';
import { outputHeaders } from './headers.js';
import type { OutboundRecord } from './stage.js';
import type { Headers, ProducerRecord } from './transport.js';

export async function encodeOutputs(
  codecs: Codecs,
  outputs: readonly OutboundRecord[],
  inputHeaders: Headers,
  trace?: Context,
): Promise<ProducerRecord[]> {
  return Promise.all(
    outputs.map(async (output) => ({
      topic: output.topic,
      key: output.key,
      value: await codecs.forTopic(output.topic).encode(output.value),
      headers: outputHeaders(inputHeaders, output.headers, trace),
    })),
  );
}
