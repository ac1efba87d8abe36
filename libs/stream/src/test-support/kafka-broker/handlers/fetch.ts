/**
 * Test Kafka broker: Fetch v4–11 — whole stored batches from each requested offset, within the request
 * and partition byte limits, with Kafka's long poll: when less than min_bytes is available the answer
 * waits up to max_wait_ms and goes out as soon as an append makes enough data available. It never
 * cuts a batch and never answers later than max_wait_ms (kafkajs times the request out 100 ms after).
 * Incremental fetch sessions (KIP-227, v7+) are declined the way KIP-227 allows: every answer is a
 * full one with session id 0, which tells the client to keep sending full requests.
 */
import type { Reader, Writer } from '../codec.js';
import { responseWriter, type ApiDefinition, type BrokerState, type RequestContext } from '../api.js';
import { ApiKey, ErrorCode, type ErrorCodeValue } from '../protocol.js';

interface PartitionFetch {
  partition: number;
  /** v9+: the leader epoch the client believes in, -1 when it has none. */
  currentLeaderEpoch: number;
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
  /** -1 when the partition does not exist. */
  highWatermark: number;
  batches: Buffer[];
  size: number;
}

interface FetchAnswer {
  topics: Array<{ topic: string; partitions: PartitionAnswer[] }>;
  size: number;
  failed: boolean;
}

/** KIP-227: epoch -1 asks for no session, 0 for a new one; anything else continues a session. */
const FINAL_EPOCH = -1;
const INITIAL_EPOCH = 0;
/** One broker that never changes leaders: every partition stays at leader epoch 0 (Metadata says so too). */
const LEADER_EPOCH = 0;
const NO_LEADER_EPOCH = -1;

function partitionError(broker: BrokerState, topic: string, fetch: PartitionFetch): ErrorCodeValue {
  const log = broker.topics.partition(topic, fetch.partition);
  if (!log) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  // KIP-320: a client ahead of the broker's epoch has seen a leader this broker does not know about.
  if (fetch.currentLeaderEpoch !== NO_LEADER_EPOCH && fetch.currentLeaderEpoch > LEADER_EPOCH) return ErrorCode.UNKNOWN_LEADER_EPOCH;
  if (fetch.fetchOffset < log.logStartOffset || fetch.fetchOffset > log.highWatermark) return ErrorCode.OFFSET_OUT_OF_RANGE;
  return ErrorCode.NONE;
}

function collect(broker: BrokerState, topics: TopicFetch[], maxBytes: number): FetchAnswer {
  const answer: FetchAnswer = { topics: [], size: 0, failed: false };
  for (const { topic, partitions } of topics) {
    const answered: PartitionAnswer[] = [];
    for (const fetch of partitions) {
      const log = broker.topics.partition(topic, fetch.partition);
      const errorCode = partitionError(broker, topic, fetch);
      if (!log || errorCode !== ErrorCode.NONE) {
        answer.failed = true;
        answered.push({ partition: fetch.partition, errorCode, highWatermark: log?.highWatermark ?? -1, batches: [], size: 0 });
        continue;
      }
      const limit = Math.max(0, Math.min(fetch.maxBytes, maxBytes - answer.size));
      const read = log.read(fetch.fetchOffset, limit, answer.size === 0);
      answer.size += read.size;
      answered.push({ partition: fetch.partition, errorCode, highWatermark: log.highWatermark, ...read });
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

function readRequest(request: Reader, version: number) {
  request.int32(); // replica_id: always -1 from consumers
  const maxWaitMs = request.int32();
  const minBytes = request.int32();
  const maxBytes = request.int32();
  request.int8(); // isolation_level: without transactions both levels see the same records
  let sessionEpoch = FINAL_EPOCH;
  if (version >= 7) {
    request.int32(); // session_id: which session does not matter, none exists
    sessionEpoch = request.int32();
  }
  const topics: TopicFetch[] = request.array((t) => ({
    topic: t.string(),
    partitions: t.array((p) => {
      const partition = p.int32();
      const currentLeaderEpoch = version >= 9 ? p.int32() : NO_LEADER_EPOCH;
      const fetchOffset = p.int64AsNumber();
      if (version >= 5) p.int64(); // log_start_offset: only followers send one
      return { partition, currentLeaderEpoch, fetchOffset, maxBytes: p.int32() };
    }),
  }));
  if (version >= 7) request.array((t) => [t.string(), t.array((p) => p.int32())]); // forgotten topics: only sessions have any
  if (version >= 11) request.string(); // rack_id: one broker, no follower to prefer
  return { maxWaitMs, minBytes, maxBytes, sessionEpoch, topics };
}

function writeTopic(w: Writer, version: number, topic: string, partitions: PartitionAnswer[]): void {
  w.string(topic).array(partitions, (pw, p) => {
    pw.int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(p.highWatermark); // last stable offset
    if (version >= 5) pw.int64(p.highWatermark < 0 ? -1 : 0); // log_start_offset: nothing is ever deleted
    pw.array([], () => undefined); // aborted transactions: there are none
    if (version >= 11) pw.int32(-1); // preferred_read_replica: none, read from the leader
    // RECORDS: the size-prefixed run of whole batches (BYTES; COMPACT_RECORDS in flexible versions).
    pw.bytes(p.batches.length === 1 ? p.batches[0]! : Buffer.concat(p.batches, p.size));
  });
}

export const fetch: ApiDefinition = {
  apiKey: ApiKey.Fetch,
  name: 'Fetch',
  // v4 is the first version with v2 record batches; later versions add log start offsets (v5), fetch
  // sessions (v7), leader epochs (v9), zstd (v10) and rack-aware reads (v11).
  minVersion: 4,
  maxVersion: 11,
  firstFlexibleVersion: 12,
  async handle(request, version, broker, context: RequestContext) {
    const { maxWaitMs, minBytes, maxBytes, sessionEpoch, topics } = readRequest(request, version);
    const body = responseWriter(request).int32(0); // throttle_time_ms
    if (version >= 7) {
      // No session was ever created (we answer session id 0), so one cannot be continued: Kafka answers
      // the same after evicting a session, and the client falls back to full requests.
      const known = sessionEpoch === FINAL_EPOCH || sessionEpoch === INITIAL_EPOCH;
      body.int16(known ? ErrorCode.NONE : ErrorCode.FETCH_SESSION_ID_NOT_FOUND).int32(0);
      if (!known) return body.array([], () => undefined);
    }
    let answer = collect(broker, topics, maxBytes);
    // Errors are answered at once, as Kafka does: waiting would not fix them.
    if (!answer.failed && answer.size < minBytes && maxWaitMs > 0 && !context.signal.aborted) {
      await waitForData(broker, topics, maxWaitMs, () => collect(broker, topics, maxBytes).size >= minBytes, context.signal);
      answer = collect(broker, topics, maxBytes);
    }
    return body.array(answer.topics, (w, t) => writeTopic(w, version, t.topic, t.partitions));
  },
};
