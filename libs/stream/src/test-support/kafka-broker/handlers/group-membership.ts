/**
 * Test Kafka broker: the wire side of consumer-group membership — JoinGroup v2, SyncGroup v1,
 * Heartbeat v1, LeaveGroup v1, DescribeGroups v1 and ListGroups v1. Decoding and encoding only: every
 * decision (generations, leaders, rebalances, expiry) belongs to the GroupCoordinator, and these
 * handlers must never second-guess it.
 */
import { Writer } from '../codec.js';
import type { ApiDefinition } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

export const joinGroup: ApiDefinition = {
  apiKey: ApiKey.JoinGroup,
  name: 'JoinGroup',
  minVersion: 2,
  maxVersion: 2,
  async handle(request, _version, broker, context) {
    const joining = {
      groupId: request.string(),
      sessionTimeoutMs: request.int32(),
      rebalanceTimeoutMs: request.int32(),
      memberId: request.string(),
      protocolType: request.string(),
      protocols: request.array((p) => ({ name: p.string(), metadata: Buffer.from(p.bytes()) })),
      clientId: context.clientId,
      clientHost: context.clientHost,
    };
    const result = await broker.groups.join(joining);
    return new Writer()
      .int32(0) // throttle_time_ms
      .int16(result.errorCode)
      .int32(result.generationId)
      .string(result.protocol)
      .string(result.leaderId)
      .string(result.memberId)
      .array(result.members, (w, m) => w.string(m.memberId).bytes(m.metadata));
  },
};

export const syncGroup: ApiDefinition = {
  apiKey: ApiKey.SyncGroup,
  name: 'SyncGroup',
  minVersion: 1,
  maxVersion: 1,
  async handle(request, _version, broker) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    const assignments = new Map(request.array((a) => [a.string(), Buffer.from(a.bytes())] as const));
    const result = await broker.groups.sync(groupId, generationId, memberId, assignments);
    return new Writer().int32(0).int16(result.errorCode).bytes(result.assignment);
  },
};

export const heartbeat: ApiDefinition = {
  apiKey: ApiKey.Heartbeat,
  name: 'Heartbeat',
  minVersion: 1,
  maxVersion: 1,
  handle(request, _version, broker) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    return new Writer().int32(0).int16(broker.groups.heartbeat(groupId, generationId, memberId));
  },
};

export const leaveGroup: ApiDefinition = {
  apiKey: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  minVersion: 1,
  maxVersion: 1,
  handle(request, _version, broker) {
    const groupId = request.string();
    const memberId = request.string();
    return new Writer().int32(0).int16(broker.groups.leave(groupId, memberId));
  },
};

export const describeGroups: ApiDefinition = {
  apiKey: ApiKey.DescribeGroups,
  name: 'DescribeGroups',
  minVersion: 1,
  maxVersion: 1,
  handle(request, _version, broker) {
    const groups = request.array((r) => r.string()).map((groupId) => broker.groups.describe(groupId));
    return new Writer().int32(0).array(groups, (w, g) =>
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
  handle(_request, _version, broker) {
    return new Writer()
      .int32(0)
      .int16(ErrorCode.NONE)
      .array(broker.groups.list(), (w, g) => w.string(g.groupId).string(g.protocolType));
  },
};
