/**
 * Codecs turn a topic's values into bytes and back: Avro in the Confluent wire format for the
 * internal topics, JSON at the edges. Stages never see bytes; the runner uses these.
 */
export interface Codec<T = unknown> {
  encode(value: T): Promise<Buffer>;
  decode(bytes: Buffer): Promise<T>;
}

export interface Codecs {
  forTopic(topic: string): Codec;
}
