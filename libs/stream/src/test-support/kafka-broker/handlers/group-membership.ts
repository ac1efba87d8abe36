/**
 * Test Kafka broker: the wire side of consumer-group membership — JoinGroup v0–5, SyncGroup v0–3,
 * Heartbeat v0–3, LeaveGroup v0–1, DescribeGroups v1 and ListGroups v1. Decoding and encoding only:
 * every decision (generations, leaders, rebalances, expiry, KIP-394 member ids) belongs to the
 * GroupCoordinator, and these handlers must never second-guess it. Static membership (a non-null
 * group_instance_id, KIP-345) is not implemented and refused with INVALID_REQUEST.
 */
import { responseWriter, type ApiDefinition } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

/** librdkafka's group features check for v0 of every membership API, so the ranges start there. */
const FIRST_VERSION = 0;

export const joinGroup: ApiDefinition = {
  apiKey: ApiKey.JoinGroup,
  name: 'JoinGroup',
  // v1 adds the rebalance timeout, v2 throttle time, v4 KIP-394 member ids, v5 group_instance_id;
  // librdkafka 2.0 and kafkajs both use v5.
  minVersion: FIRST_VERSION,
  maxVersion: 5,
  firstFlexibleVersion: 6,
  async handle(request, version, broker, context) {
    const groupId = request.string();
    const sessionTimeoutMs = request.int32();
    const rebalanceTimeoutMs = version >= 1 ? request.int32() : sessionTimeoutMs;
    const memberId = request.string();
    const groupInstanceId = version >= 5 ? request.nullableString() : null;
    const joining = {
      groupId,
      sessionTimeoutMs,
      rebalanceTimeoutMs,
      memberId,
      protocolType: request.string(),
      protocols: request.array((p) => ({ name: p.string(), metadata: Buffer.from(p.bytes()) })),
      clientId: context.clientId,
      clientHost: context.clientHost,
      requireKnownMemberId: version >= 4,
    };
    const result =
      groupInstanceId === null
        ? await broker.groups.join(joining)
        : { errorCode: ErrorCode.INVALID_REQUEST, generationId: -1, protocol: '', leaderId: '', memberId, members: [] };
    const body = responseWriter(request);
    if (version >= 2) body.int32(0); // throttle_time_ms
    return body
      .int16(result.errorCode)
      .int32(result.generationId)
      .string(result.protocol)
      .string(result.leaderId)
      .string(result.memberId)
      .array(result.members, (w, m) => {
        w.string(m.memberId);
        if (version >= 5) w.string(null); // group_instance_id: only dynamic members here
        w.bytes(m.metadata);
      });
  },
};

export const syncGroup: ApiDefinition = {
  apiKey: ApiKey.SyncGroup,
  name: 'SyncGroup',
  minVersion: FIRST_VERSION,
  maxVersion: 3,
  firstFlexibleVersion: 4,
  async handle(request, version, broker) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    if (version >= 3) request.nullableString(); // group_instance_id: never admitted, so the member check fails for it
    const assignments = new Map(request.array((a) => [a.string(), Buffer.from(a.bytes())] as const));
    const result = await broker.groups.sync(groupId, generationId, memberId, assignments);
    const body = responseWriter(request);
    if (version >= 1) body.int32(0); // throttle_time_ms
    return body.int16(result.errorCode).bytes(result.assignment);
  },
};

export const heartbeat: ApiDefinition = {
  apiKey: ApiKey.Heartbeat,
  name: 'Heartbeat',
  minVersion: FIRST_VERSION,
  maxVersion: 3,
  firstFlexibleVersion: 4,
  handle(request, version, broker) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    if (version >= 3) request.nullableString(); // group_instance_id, as in SyncGroup
    const body = responseWriter(request);
    if (version >= 1) body.int32(0); // throttle_time_ms
    return body.int16(broker.groups.heartbeat(groupId, generationId, memberId));
  },
};

export const leaveGroup: ApiDefinition = {
  apiKey: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  // v3 batches members by group_instance_id, which only static members need.
  minVersion: FIRST_VERSION,
  maxVersion: 1,
  firstFlexibleVersion: 4,
  handle(request, version, broker) {
    const groupId = request.string();
    const memberId = request.string();
    const body = responseWriter(request);
    if (version >= 1) body.int32(0); // throttle_time_ms
    return body.int16(broker.groups.leave(groupId, memberId));
  },
};

export const describeGroups: ApiDefinition = {
  apiKey: ApiKey.DescribeGroups,
  name: 'DescribeGroups',
  minVersion: 1,
  maxVersion: 1,
  firstFlexibleVersion: 5,
  handle(request, _version, broker) {
    const groups = request.array((r) => r.string()).map((groupId) => broker.groups.describe(groupId));
    return responseWriter(request)
      .int32(0)
      .array(groups, (w, g) =>
        w
          .int16(ErrorCode.NONE)
          .string(g.groupId)
          .string(g.state)
          .string(g.protocolType)
          .string(g.protocol)
          .array(g.members, (mw, m) => mw.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment)),
      );
  },
};

export const listGroups: ApiDefinition = {
  apiKey: ApiKey.ListGroups,
  name: 'ListGroups',
  minVersion: 1,
  maxVersion: 1,
  firstFlexibleVersion: 3,
  handle(request, _version, broker) {
    return responseWriter(request)
      .int32(0)
      .int16(ErrorCode.NONE)
      .array(broker.groups.list(), (w, g) => w.string(g.groupId).string(g.protocolType));
  },
};
