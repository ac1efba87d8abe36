/**
 * Every API version the test broker advertises, spoken on the wire: through kafkajs' own per-version
 * request encoders and response decoders where kafkajs has that version (clients pick the newest
 * common version, so most of these are not what kafkajs or librdkafka choose today, yet a client
 * may), and as hand-built frames with byte-exact answers for the flexible versions kafkajs lacks
 * (ApiVersions v3 as librdkafka 2.0.2 sends it, OffsetFetch v6–7, InitProducerId v2–4) and the
 * classic ones it lacks (OffsetCommit v6–7, OffsetFetch v5). kcat.test.ts drives the versions
 * librdkafka picks with the real client.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMPLEMENTED_APIS } from './apis.js';
import { startKafkaTestBroker, type KafkaTestBroker } from './index.js';
import { ApiKey, ErrorCode } from './protocol.js';
import { kafkajsRequest, rawConnection, type RawConnection } from './raw-connection.fixture.js';

const require = createRequire(import.meta.url);
const KAFKAJS_REQUESTS = path.join(path.dirname(require.resolve('kafkajs/package.json')), 'src/protocol/requests');

/** kafkajs' folder name for each API this file drives through kafkajs. */
const KAFKAJS_NAMES: Partial<Record<number, string>> = {
  [ApiKey.Produce]: 'produce',
  [ApiKey.Fetch]: 'fetch',
  [ApiKey.ListOffsets]: 'listOffsets',
  [ApiKey.Metadata]: 'metadata',
  [ApiKey.OffsetCommit]: 'offsetCommit',
  [ApiKey.OffsetFetch]: 'offsetFetch',
  [ApiKey.FindCoordinator]: 'findCoordinator',
  [ApiKey.JoinGroup]: 'joinGroup',
  [ApiKey.Heartbeat]: 'heartbeat',
  [ApiKey.LeaveGroup]: 'leaveGroup',
  [ApiKey.SyncGroup]: 'syncGroup',
  [ApiKey.DescribeGroups]: 'describeGroups',
  [ApiKey.ListGroups]: 'listGroups',
  [ApiKey.SaslHandshake]: 'saslHandshake',
  [ApiKey.ApiVersions]: 'apiVersions',
  [ApiKey.CreateTopics]: 'createTopics',
  [ApiKey.DeleteTopics]: 'deleteTopics',
  [ApiKey.InitProducerId]: 'initProducerId',
  [ApiKey.SaslAuthenticate]: 'saslAuthenticate',
};

/** Versions this file sends as hand-built frames because kafkajs 2.2.4 has no encoder for them. */
const HAND_BUILT: Partial<Record<number, number[]>> = {
  [ApiKey.ApiVersions]: [3],
  [ApiKey.OffsetCommit]: [6, 7],
  [ApiKey.OffsetFetch]: [5, 6, 7],
  [ApiKey.InitProducerId]: [2, 3, 4],
};

function advertised(apiKey: number): number[] {
  const api = IMPLEMENTED_APIS.find((a) => a.apiKey === apiKey)!;
  return Array.from({ length: api.maxVersion - api.minVersion + 1 }, (_, i) => api.minVersion + i);
}

function kafkajsHas(apiKey: number, version: number): boolean {
  const name = KAFKAJS_NAMES[apiKey];
  return name !== undefined && existsSync(path.join(KAFKAJS_REQUESTS, name, `v${version}`, 'request.js'));
}

/** The advertised versions of an API that kafkajs can speak. */
function kafkajsVersions(apiKey: number): number[] {
  return advertised(apiKey).filter((version) => kafkajsHas(apiKey, version));
}

// Hex builders for hand-built frames: big-endian integers, classic and compact strings.
const i16 = (n: number) => (n & 0xffff).toString(16).padStart(4, '0');
const i32 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
const i64 = (n: bigint) => BigInt.asUintN(64, n).toString(16).padStart(16, '0');
const str = (s: string) => i16(Buffer.byteLength(s)) + Buffer.from(s).toString('hex');
/** COMPACT_STRING for strings under 127 bytes: a one-byte unsigned varint length+1. */
const cstr = (s: string) => (Buffer.byteLength(s) + 1).toString(16).padStart(2, '0') + Buffer.from(s).toString('hex');
const NO_TAGS = '00';

/** A request frame: header v1 (classic) or v2 (flexible: tagged fields after the client id), then the body. */
function frame(apiKey: number, version: number, correlationId: number, flexible: boolean, body: string): Buffer {
  return Buffer.from(i16(apiKey) + i16(version) + i32(correlationId) + str('raw') + (flexible ? NO_TAGS : '') + body, 'hex');
}

let broker: KafkaTestBroker;
let brokerLog: string[];
let raw: RawConnection;
let correlationId = 0;

beforeEach(async () => {
  brokerLog = [];
  broker = await startKafkaTestBroker({ defaultPartitions: 1, log: (message) => brokerLog.push(message) });
  raw = await rawConnection(broker.bootstrap);
});

afterEach(async () => {
  raw.close();
  await broker.close();
  expect(brokerLog).toEqual([]);
});

/** Sends kafkajs' request for `api` at `version` and returns its decoded (not parsed) answer. */
async function call<T>(apiKey: number, version: number, args: object): Promise<T> {
  const { request, response } = kafkajsRequest(KAFKAJS_NAMES[apiKey]!, version)(args);
  expect(request.apiVersion).toBe(version);
  correlationId += 1;
  return (await response.decode(await raw.exchange(correlationId, request))) as T;
}

describe('every advertised API version', () => {
  it('is spoken here, by kafkajs or by a hand-built frame', () => {
    for (const api of IMPLEMENTED_APIS) {
      const uncovered = advertised(api.apiKey).filter((v) => !kafkajsHas(api.apiKey, v) && !HAND_BUILT[api.apiKey]?.includes(v));
      expect(uncovered, `${api.name} versions nobody speaks in this file`).toEqual([]);
    }
  });

  it('Produce v3–7 appends, and Fetch v4–11 serves the records back with the fields of each version', async () => {
    broker.createTopic('versions', 1);
    const produced = kafkajsVersions(ApiKey.Produce);
    expect(produced).toEqual([3, 4, 5, 6, 7]);
    for (const [index, version] of produced.entries()) {
      const answer = await call<{ topics: Array<{ partitions: Array<Record<string, unknown>> }> }>(ApiKey.Produce, version, {
        acks: -1,
        timeout: 1000,
        topicData: [
          {
            topic: 'versions',
            partitions: [{ partition: 0, messages: [{ key: `k${version}`, value: `v${version}`, headers: { n: `${version}` } }] }],
          },
        ],
      });
      expect(answer.topics[0]!.partitions[0]).toMatchObject({
        errorCode: 0,
        baseOffset: String(index),
        ...(version >= 5 ? { logStartOffset: '0' } : {}),
      });
    }

    const fetched = kafkajsVersions(ApiKey.Fetch);
    expect(fetched).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    for (const version of fetched) {
      const answer = await call<{
        errorCode?: number;
        sessionId?: number;
        responses: Array<{
          partitions: Array<Record<string, unknown> & { messages: Array<{ value: Buffer; headers: Record<string, Buffer> }> }>;
        }>;
      }>(ApiKey.Fetch, version, {
        maxWaitTime: 0,
        minBytes: 1,
        maxBytes: 1_000_000,
        topics: [{ topic: 'versions', partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1_000_000 }] }],
      });
      const partition = answer.responses[0]!.partitions[0]!;
      expect(partition).toMatchObject({ errorCode: 0, highWatermark: '5', lastStableOffset: '5' });
      expect(partition.messages.map((m) => [m.value.toString(), m.headers['n']!.toString()])).toEqual(
        produced.map((v) => [`v${v}`, `${v}`]),
      );
      if (version >= 5) expect(partition['lastStartOffset']).toBe('0');
      if (version >= 7) expect([answer.errorCode, answer.sessionId]).toEqual([0, 0]);
      if (version >= 11) expect(partition['preferredReadReplica']).toBe(-1);
    }
  });

  it('Fetch v7+ declines to continue a session it never created, and v9+ refuses a leader epoch from the future', async () => {
    broker.createTopic('versions', 1);
    const fetch = (version: number, extra: object, partitionExtra: object = {}) =>
      call<{ errorCode: number; responses: Array<{ partitions: Array<{ errorCode: number }> }> }>(ApiKey.Fetch, version, {
        maxWaitTime: 0,
        minBytes: 1,
        maxBytes: 1000,
        topics: [{ topic: 'versions', partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1000, ...partitionExtra }] }],
        ...extra,
      });
    // Epoch 0 asks for a new session: answered in full with session id 0 (none created), which KIP-227 allows.
    expect(await fetch(7, { sessionId: 0, sessionEpoch: 0 })).toMatchObject({ errorCode: 0, sessionId: 0 });
    expect(await fetch(7, { sessionId: 12, sessionEpoch: 3 })).toMatchObject({
      errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
      responses: [],
    });
    expect((await fetch(9, {}, { currentLeaderEpoch: 7 })).responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH);
    expect((await fetch(9, {}, { currentLeaderEpoch: 0 })).responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
  });

  it('ListOffsets v1–2, Metadata v4–5 and FindCoordinator v0–2 answer with the fields of each version', async () => {
    broker.createTopic('versions', 1);
    await call(ApiKey.Produce, 3, {
      acks: -1,
      timeout: 1000,
      topicData: [{ topic: 'versions', partitions: [{ partition: 0, messages: [{ value: 'x' }] }] }],
    });
    for (const version of kafkajsVersions(ApiKey.ListOffsets)) {
      for (const [timestamp, offset] of [
        [-1, '1'],
        [-2, '0'],
      ] as const) {
        const answer = await call<{ responses: Array<{ partitions: Array<{ errorCode: number; offset: string }> }> }>(
          ApiKey.ListOffsets,
          version,
          {
            topics: [{ topic: 'versions', partitions: [{ partition: 0, timestamp }] }],
          },
        );
        expect(answer.responses[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset });
      }
    }
    for (const version of kafkajsVersions(ApiKey.Metadata)) {
      const answer = await call<{
        controllerId: number;
        topicMetadata: Array<{ topic: string; partitionMetadata: Array<Record<string, unknown>> }>;
      }>(ApiKey.Metadata, version, { topics: ['versions'], allowAutoTopicCreation: false });
      expect(answer.controllerId).toBe(0);
      expect(answer.topicMetadata[0]).toMatchObject({
        topic: 'versions',
        partitionMetadata: [{ partitionId: 0, leader: 0, replicas: [0], isr: [0] }],
      });
      if (version >= 5) expect(answer.topicMetadata[0]!.partitionMetadata[0]!['offlineReplicas']).toEqual([]);
    }
    const [host, port] = [broker.bootstrap.split(':')[0], Number(broker.bootstrap.split(':')[1])];
    expect(kafkajsVersions(ApiKey.FindCoordinator)).toEqual([0, 1, 2]);
    for (const version of kafkajsVersions(ApiKey.FindCoordinator)) {
      const answer = await call<{ errorCode: number; coordinator: object }>(ApiKey.FindCoordinator, version, { groupId: 'g' });
      expect(answer).toMatchObject({ errorCode: 0, coordinator: { nodeId: 0, host, port } });
    }
  });

  it('JoinGroup v0–5 (with KIP-394 member ids from v4), SyncGroup v0–3, Heartbeat v0–3 and LeaveGroup v0–1 run a group', async () => {
    expect(kafkajsVersions(ApiKey.JoinGroup)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const version of kafkajsVersions(ApiKey.JoinGroup)) {
      const groupId = `group-v${version}`;
      const join = (memberId: string) =>
        call<{ errorCode: number; generationId: number; leaderId: string; memberId: string; members: Array<{ memberId: string }> }>(
          ApiKey.JoinGroup,
          version,
          {
            groupId,
            sessionTimeout: 10_000,
            rebalanceTimeout: 10_000,
            memberId,
            protocolType: 'consumer',
            groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from('subscription') }],
          },
        );
      let joined = await join('');
      if (version >= 4) {
        expect(joined.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
        expect(broker.groupMembers(groupId)).toEqual([]);
        joined = await join(joined.memberId);
      }
      expect(joined).toMatchObject({ errorCode: 0, generationId: 1, leaderId: joined.memberId, members: [{ memberId: joined.memberId }] });
      expect(broker.groupMembers(groupId)).toEqual([joined.memberId]);

      const synced = await call<{ errorCode: number; memberAssignment: Buffer }>(ApiKey.SyncGroup, Math.min(version, 3), {
        groupId,
        generationId: 1,
        memberId: joined.memberId,
        groupAssignment: [{ memberId: joined.memberId, memberAssignment: Buffer.from('everything') }],
      });
      expect(synced).toMatchObject({ errorCode: 0, memberAssignment: Buffer.from('everything') });
      const beat = await call<{ errorCode: number }>(ApiKey.Heartbeat, Math.min(version, 3), {
        groupId,
        groupGenerationId: 1,
        memberId: joined.memberId,
      });
      expect(beat.errorCode).toBe(0);
      const left = await call<{ errorCode: number }>(ApiKey.LeaveGroup, Math.min(version, 1), { groupId, memberId: joined.memberId });
      expect(left.errorCode).toBe(0);
      expect(broker.groupMembers(groupId)).toEqual([]);
    }
  });

  it('refuses static membership (a group_instance_id) rather than pretending to keep it', async () => {
    const answer = await call<{ errorCode: number }>(ApiKey.JoinGroup, 5, {
      groupId: 'static',
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      memberId: '',
      groupInstanceId: 'pod-1',
      protocolType: 'consumer',
      groupProtocols: [{ name: 'RoundRobinAssigner' }],
    });
    expect(answer.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(broker.groupMembers('static')).toEqual([]);
  });

  it('OffsetCommit v2–5 stores what OffsetFetch v1–4 reads back; InitProducerId v0–1 hands out fresh ids', async () => {
    broker.createTopic('versions', 2);
    for (const version of kafkajsVersions(ApiKey.OffsetCommit)) {
      const answer = await call<{ responses: Array<{ partitions: Array<{ errorCode: number }> }> }>(ApiKey.OffsetCommit, version, {
        groupId: 'committer',
        groupGenerationId: -1, // an administrative commit: nobody is a member
        memberId: '',
        topics: [{ topic: 'versions', partitions: [{ partition: 1, offset: String(100 + version), metadata: `v${version}` }] }],
      });
      expect(answer.responses[0]!.partitions[0]!.errorCode).toBe(0);
      expect(broker.committedOffset('committer', 'versions', 1)).toBe(String(100 + version));
    }
    expect(kafkajsVersions(ApiKey.OffsetFetch)).toEqual([1, 2, 3, 4]);
    for (const version of kafkajsVersions(ApiKey.OffsetFetch)) {
      const answer = await call<{ responses: Array<{ partitions: Array<Record<string, unknown>> }> }>(ApiKey.OffsetFetch, version, {
        groupId: 'committer',
        topics: [{ topic: 'versions', partitions: [{ partition: 0 }, { partition: 1 }] }],
      });
      expect(answer.responses[0]!.partitions).toEqual([
        expect.objectContaining({ partition: 0, offset: '-1', errorCode: 0 }),
        expect.objectContaining({ partition: 1, offset: '105', metadata: 'v5', errorCode: 0 }),
      ]);
    }
    const ids = [];
    for (const version of kafkajsVersions(ApiKey.InitProducerId)) {
      ids.push(
        (await call<{ errorCode: number; producerId: string }>(ApiKey.InitProducerId, version, { transactionalId: null })).producerId,
      );
    }
    expect(ids).toEqual(['0', '1']);
  });
});

describe('hand-built frames of the versions kafkajs lacks', () => {
  it('answers ApiVersions v3 exactly as librdkafka 2.0.2 asks for it: v0 response header, compact array, tags', async () => {
    // The request librdkafka 2.0.2 (kcat 1.7.1) sends first, captured on the wire: header v2 with client
    // id "rdkafka", then client_software_name "librdkafka" and client_software_version "2.0.2".
    const librdkafka = Buffer.from('0012000300000001000772646b61666b61000b6c696272646b61666b6106322e302e3200', 'hex');
    const answer = await raw.exchangeFrame(librdkafka);
    const entries = IMPLEMENTED_APIS.map((api) => i16(api.apiKey) + i16(api.minVersion) + i16(api.maxVersion) + NO_TAGS).join('');
    const expected =
      i32(1) + // correlation id, response header v0: no tagged fields even though the request was flexible (KIP-511)
      i16(ErrorCode.NONE) +
      (IMPLEMENTED_APIS.length + 1).toString(16).padStart(2, '0') + // compact array length + 1
      entries +
      i32(0) + // throttle_time_ms
      NO_TAGS;
    expect(answer.toString('hex')).toBe(expected);
    expect(answer.subarray(6, 7).readUInt8() - 1).toBe(IMPLEMENTED_APIS.length);

    // Kafka checks the software name and version (KIP-511) and answers INVALID_REQUEST in v3 form.
    const invalid = await raw.exchangeFrame(frame(ApiKey.ApiVersions, 3, 2, true, cstr('lib rdkafka!') + cstr('2.0.2') + NO_TAGS));
    expect(invalid.subarray(0, 6).toString('hex')).toBe(i32(2) + i16(ErrorCode.INVALID_REQUEST));

    // A version from the future gets the v0 answer with UNSUPPORTED_VERSION, so the client can retry lower.
    const future = await raw.exchangeFrame(frame(ApiKey.ApiVersions, 9, 3, true, 'ffff'));
    expect(future.subarray(0, 10).toString('hex')).toBe(i32(3) + i16(ErrorCode.UNSUPPORTED_VERSION) + i32(IMPLEMENTED_APIS.length));
  });

  it('commits with OffsetCommit v6–7 (leader epoch, group instance id) and reads back with OffsetFetch v5–7, v6+ flexible', async () => {
    broker.createTopic('versions', 1);
    const commitBody = (version: number, offset: bigint) =>
      str('g') +
      i32(-1) +
      str('') +
      (version >= 7 ? i16(-1) : '') +
      i32(1) +
      str('versions') +
      i32(1) +
      i32(0) +
      i64(offset) +
      i32(3) +
      str('m');
    for (const [version, offset] of [
      [6, 41n],
      [7, 42n],
    ] as const) {
      const answer = await raw.exchangeFrame(frame(ApiKey.OffsetCommit, version, 10 + version, false, commitBody(version, offset)));
      expect(answer.toString('hex')).toBe(i32(10 + version) + i32(0) + i32(1) + str('versions') + i32(1) + i32(0) + i16(0));
    }
    expect(broker.committedOffset('g', 'versions', 0)).toBe('42');

    // OffsetFetch v5 (classic): the committed leader epoch comes back beside the offset.
    const classic = await raw.exchangeFrame(frame(ApiKey.OffsetFetch, 5, 20, false, str('g') + i32(1) + str('versions') + i32(1) + i32(0)));
    expect(classic.toString('hex')).toBe(
      i32(20) + i32(0) + i32(1) + str('versions') + i32(1) + i32(0) + i64(42n) + i32(3) + str('m') + i16(0) + i16(0),
    );

    // OffsetFetch v6 and v7 (flexible; v7 adds require_stable): compact strings and arrays, tagged fields
    // after each partition, topic and the whole body, and response header v1 (a tag section after the correlation id).
    for (const version of [6, 7]) {
      const body = cstr('g') + '02' + cstr('versions') + '02' + i32(0) + NO_TAGS + (version >= 7 ? '01' : '') + NO_TAGS;
      const answer = await raw.exchangeFrame(frame(ApiKey.OffsetFetch, version, 30 + version, true, body));
      expect(answer.toString('hex')).toBe(
        i32(30 + version) +
          NO_TAGS +
          i32(0) +
          '02' +
          cstr('versions') +
          '02' +
          i32(0) +
          i64(42n) +
          i32(3) +
          cstr('m') +
          i16(0) +
          NO_TAGS +
          NO_TAGS +
          i16(0) +
          NO_TAGS,
      );
    }
    // A null topic list (compact 0) asks for everything the group committed.
    const all = await raw.exchangeFrame(frame(ApiKey.OffsetFetch, 6, 40, true, cstr('g') + '00' + NO_TAGS));
    expect(
      all
        .subarray(9)
        .toString('hex')
        .startsWith('02' + cstr('versions') + '02' + i32(0) + i64(42n)),
    ).toBe(true);
  });

  it('hands out producer ids with InitProducerId v2–4 (flexible), ignoring the v3+ producer id of a non-transactional producer', async () => {
    for (const [index, version] of [2, 3, 4].entries()) {
      const body = '00' + i32(60_000) + (version >= 3 ? i64(-1n) + i16(-1) : '') + NO_TAGS; // null transactional id
      const answer = await raw.exchangeFrame(frame(ApiKey.InitProducerId, version, 50 + version, true, body));
      expect(answer.toString('hex')).toBe(i32(50 + version) + NO_TAGS + i32(0) + i16(0) + i64(BigInt(index)) + i16(0) + NO_TAGS);
    }
    // A transactional id is refused: there is no transaction coordinator here.
    const transactional = await raw.exchangeFrame(
      frame(ApiKey.InitProducerId, 4, 60, true, cstr('tx') + i32(60_000) + i64(-1n) + i16(-1) + NO_TAGS),
    );
    expect(transactional.toString('hex')).toBe(i32(60) + NO_TAGS + i32(0) + i16(ErrorCode.INVALID_REQUEST) + i64(-1n) + i16(-1) + NO_TAGS);
  });

  it('closes the connection on a flexible request whose tagged fields are out of order', async () => {
    const garbled = frame(ApiKey.InitProducerId, 4, 70, true, '00' + i32(1) + i64(-1n) + i16(-1) + '02' + '0501ef' + '0001aa');
    raw.socket.write(Buffer.concat([Buffer.from(i32(garbled.length), 'hex'), garbled]));
    await raw.closed;
    expect(brokerLog.splice(0)).toEqual([expect.stringMatching(/malformed request \(correlation id 70\).*tagged field 0 out of order/s)]);
  });
});
