/**
 * Test Kafka broker: Fetch v4 — whole stored batches from each requested offset, within the request
 * and partition byte limits, with Kafka's long poll: when less than min_bytes is available the answer
 * waits up to max_wait_ms and goes out as soon as an append makes enough data available. It never
 * cuts a batch and never answers later than max_wait_ms (kafkajs times the request out 100 ms after).
 */
import { Writer, type Reader } from '../codec.js';
import type { ApiDefinition, BrokerState, RequestContext } from '../api.js';
import { ApiKey, ErrorCode, type ErrorCodeValue } from '../protocol.js';

interface PartitionFetch {
  partition: number;
  fetchOffset: number;
  maxBytes: number;
}

interface TopicFetch {
  topic: string;
  partitions: PartitionFetch[];
}

interface PartitionAnswer {
  partition: number;
  errorCode: ErrorCodeValue;
  highWatermark: number;
  batches: Buffer[];
  size: number;
}

interface FetchAnswer {
  topics: Array<{ topic: string; partitions: PartitionAnswer[] }>;
  size: number;
  failed: boolean;
}

function collect(broker: BrokerState, topics: TopicFetch[], maxBytes: number): FetchAnswer {
  const answer: FetchAnswer = { topics: [], size: 0, failed: false };
  for (const { topic, partitions } of topics) {
    const answered: PartitionAnswer[] = [];
    for (const { partition, fetchOffset, maxBytes: partitionMaxBytes } of partitions) {
      const log = broker.topics.partition(topic, partition);
      let errorCode: ErrorCodeValue = ErrorCode.NONE;
      if (!log) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      else if (fetchOffset < log.logStartOffset || fetchOffset > log.highWatermark) errorCode = ErrorCode.OFFSET_OUT_OF_RANGE;
      if (!log || errorCode !== ErrorCode.NONE) {
        answer.failed = true;
        answered.push({ partition, errorCode, highWatermark: log?.highWatermark ?? -1, batches: [], size: 0 });
        continue;
      }
      const limit = Math.max(0, Math.min(partitionMaxBytes, maxBytes - answer.size));
      const read = log.read(fetchOffset, limit, answer.size === 0);
      answer.size += read.size;
      answered.push({ partition, errorCode, highWatermark: log.highWatermark, ...read });
    }
    answer.topics.push({ topic, partitions: answered });
  }
  return answer;
}

/** Resolves after `maxWaitMs`, on abort, or once an append to a fetched partition gives `enough()`. */
function waitForData(
  broker: BrokerState,
  topics: TopicFetch[],
  maxWaitMs: number,
  enough: () => boolean,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribers: Array<() => void> = [];
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      for (const unsubscribe of unsubscribers) unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, maxWaitMs);
    signal.addEventListener('abort', done);
    for (const { topic, partitions } of topics) {
      for (const { partition } of partitions) {
        const log = broker.topics.partition(topic, partition);
        if (log) unsubscribers.push(log.onAppend(() => enough() && done()));
      }
    }
  });
}

function readRequest(request: Reader) {
  request.int32(); // replica_id: always -1 from consumers
  const maxWaitMs = request.int32();
  const minBytes = request.int32();
  const maxBytes = request.int32();
  request.int8(); // isolation_level: without transactions both levels see the same records
  const topics: TopicFetch[] = request.array((t) => ({
    topic: t.string(),
    partitions: t.array((p) => ({ partition: p.int32(), fetchOffset: p.int64AsNumber(), maxBytes: p.int32() })),
  }));
  return { maxWaitMs, minBytes, maxBytes, topics };
}

export const fetch: ApiDefinition = {
  apiKey: ApiKey.Fetch,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 4,
  async handle(request, _version, broker, context: RequestContext) {
    const { maxWaitMs, minBytes, maxBytes, topics } = readRequest(request);
    let answer = collect(broker, topics, maxBytes);
    // Errors are answered at once, as Kafka does: waiting would not fix them.
    if (!answer.failed && answer.size < minBytes && maxWaitMs > 0 && !context.signal.aborted) {
      await waitForData(broker, topics, maxWaitMs, () => collect(broker, topics, maxBytes).size >= minBytes, context.signal);
      answer = collect(broker, topics, maxBytes);
    }
    return new Writer(answer.size + 256)
      .int32(0) // throttle_time_ms
      .array(answer.topics, (w, t) =>
        w.string(t.topic).array(t.partitions, (pw, p) => {
          pw.int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(p.highWatermark); // last stable offset
          pw.array([], () => undefined); // aborted transactions: there are none
          pw.int32(p.size);
          for (const batch of p.batches) pw.raw(batch);
        }),
      );
  },
};
