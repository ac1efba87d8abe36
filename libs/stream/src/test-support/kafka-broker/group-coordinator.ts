/**
 * Test Kafka broker: the consumer-group coordinator — members, generations, leader election and the
 * rebalance state machine of Kafka's classic group protocol (Empty → PreparingRebalance →
 * CompletingRebalance → Stable), with session expiry and rebalance timeouts. It relays the leader's
 * assignment without reading it (clients assign partitions themselves) and never stores offsets:
 * it only says whether a member may commit (see offsets.ts).
 *
 * Behaviour follows Apache Kafka's GroupCoordinator (2.x, before static membership): a member waiting
 * for its JoinGroup or SyncGroup answer is never expired; a rebalance completes as soon as every known
 * member has rejoined, or after the longest member rebalance timeout, dropping those that did not.
 * Clients on JoinGroup v4+ first get a member id with MEMBER_ID_REQUIRED (KIP-394) and join with it;
 * until they do (or their session timeout passes) they are pending, and a rebalance waits for them.
 * Like Kafka's group metadata in __consumer_offsets, a group is handed to the `persist` sink each time
 * a rebalance settles (Stable with its assignments, or Empty), and a restarted broker takes it back
 * with fresh session timers, so members carry on with their generation instead of rejoining.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, type ErrorCodeValue } from './protocol.js';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinRequest {
  groupId: string;
  /** '' for a member joining for the first time. */
  memberId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  clientId: string;
  clientHost: string;
  /** JoinGroup v4+ (KIP-394): a first join without a member id is answered MEMBER_ID_REQUIRED with one. */
  requireKnownMemberId?: boolean;
}

export interface JoinResult {
  errorCode: ErrorCodeValue;
  generationId: number;
  protocol: string;
  leaderId: string;
  memberId: string;
  /** Filled for the leader only: every member with its metadata for the chosen protocol. */
  members: Array<{ memberId: string; metadata: Buffer }>;
}

export interface SyncResult {
  errorCode: ErrorCodeValue;
  assignment: Buffer;
}

export interface GroupDescription {
  groupId: string;
  state: GroupState | 'Dead';
  protocolType: string;
  protocol: string;
  members: Array<{ memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }>;
}

/** What survives a broker restart of a group: its last settled generation (see restore()). */
export interface GroupSnapshot {
  groupId: string;
  generationId: number;
  protocolType: string;
  protocol: string;
  leaderId: string;
  members: Array<{
    memberId: string;
    clientId: string;
    clientHost: string;
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
    protocols: GroupProtocol[];
    assignment: Buffer;
  }>;
}

export interface GroupCoordinatorOptions {
  /** Kafka's group.min.session.timeout.ms / group.max.session.timeout.ms: joins outside are refused. */
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  /** Kafka's group.initial.rebalance.delay.ms: how long the first rebalance of an empty group waits for more members. */
  initialRebalanceDelayMs: number;
  /** Told each settled generation of a group (the data folder). */
  persist?: (snapshot: GroupSnapshot) => void;
}

const NO_ASSIGNMENT = Buffer.alloc(0);

interface Member {
  memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: GroupProtocol[];
  assignment: Buffer;
  pendingJoin?: (result: JoinResult) => void;
  pendingSync?: (result: SyncResult) => void;
  sessionTimer?: NodeJS.Timeout;
}

interface Group {
  groupId: string;
  state: GroupState;
  generationId: number;
  protocolType: string;
  protocol: string;
  leaderId: string;
  /** Insertion order matters: the first member becomes leader when the old leader is gone, as in Kafka. */
  members: Map<string, Member>;
  /** Member ids handed out with MEMBER_ID_REQUIRED, each with the timer that forgets it after its session timeout. */
  pendingMembers: Map<string, NodeJS.Timeout>;
  rebalanceTimer?: NodeJS.Timeout;
  initialDelayTimer?: NodeJS.Timeout;
  joinNotBefore: number;
}

function failedJoin(errorCode: ErrorCodeValue, memberId: string): JoinResult {
  return { errorCode, generationId: -1, protocol: '', leaderId: '', memberId, members: [] };
}

function sameProtocols(a: GroupProtocol[], b: GroupProtocol[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]!.name && p.metadata.equals(b[i]!.metadata));
}

/** Timers must not keep a test process alive after it forgot to close the broker. */
function timer(ms: number, run: () => void): NodeJS.Timeout {
  const handle = setTimeout(run, ms);
  handle.unref();
  return handle;
}

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private closed = false;

  constructor(private readonly options: GroupCoordinatorOptions) {}

  join(request: JoinRequest): Promise<JoinResult> {
    const { groupId, memberId } = request;
    if (this.closed) return Promise.resolve(failedJoin(ErrorCode.REBALANCE_IN_PROGRESS, memberId));
    if (groupId === '') return Promise.resolve(failedJoin(ErrorCode.INVALID_GROUP_ID, memberId));
    const { minSessionTimeoutMs, maxSessionTimeoutMs } = this.options;
    if (request.sessionTimeoutMs < minSessionTimeoutMs || request.sessionTimeoutMs > maxSessionTimeoutMs) {
      return Promise.resolve(failedJoin(ErrorCode.INVALID_SESSION_TIMEOUT, memberId));
    }
    const group = this.groupFor(groupId);
    const existing = memberId === '' ? undefined : group.members.get(memberId);
    const pending = memberId !== '' && group.pendingMembers.has(memberId);
    if (memberId !== '' && !existing && !pending) return Promise.resolve(failedJoin(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    if (!this.supportsGroupProtocols(group, request)) {
      return Promise.resolve(failedJoin(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId));
    }
    if (memberId === '' && request.requireKnownMemberId) return Promise.resolve(this.addPendingMember(group, request));
    return new Promise<JoinResult>((resolve) => {
      if (!existing) {
        this.addMember(group, pending ? memberId : `${request.clientId}-${randomUUID()}`, request, resolve);
        return;
      }
      this.rejoin(group, existing, request, resolve);
    });
  }

  sync(groupId: string, generationId: number, memberId: string, assignments: Map<string, Buffer>): Promise<SyncResult> {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    const fail = (errorCode: ErrorCodeValue) => Promise.resolve({ errorCode, assignment: NO_ASSIGNMENT });
    if (!group || !member || group.state === 'Empty') return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (generationId !== group.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);
    if (group.state === 'PreparingRebalance' || this.closed) return fail(ErrorCode.REBALANCE_IN_PROGRESS);
    if (group.state === 'Stable') {
      this.scheduleExpiry(group, member);
      return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: member.assignment });
    }
    return new Promise<SyncResult>((resolve) => {
      // A repeated SyncGroup replaces the first; that client has given up on the earlier answer.
      member.pendingSync?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: NO_ASSIGNMENT });
      member.pendingSync = resolve;
      this.cancelExpiry(member);
      if (memberId === group.leaderId) this.completeSync(group, assignments);
    });
  }

  heartbeat(groupId: string, generationId: number, memberId: string): ErrorCodeValue {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member || group.state === 'Empty') return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.scheduleExpiry(group, member);
    // Newer Kafka accepts heartbeats between JoinGroup and SyncGroup rather than restarting the rebalance.
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(groupId: string, memberId: string): ErrorCodeValue {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMember(group, member);
    this.membershipChanged(group);
    return ErrorCode.NONE;
  }

  /**
   * May this member commit offsets now? Generation -1 with an empty member id is an administrative
   * commit (kafkajs admin.setOffsets), allowed only while nobody consumes. Commits of the current
   * generation stay allowed during PreparingRebalance: clients commit before rejoining.
   */
  authorizeCommit(groupId: string, generationId: number, memberId: string): ErrorCodeValue {
    const group = this.groups.get(groupId);
    if (!group) {
      if (generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
      this.groupFor(groupId);
      return ErrorCode.NONE;
    }
    if (generationId < 0 && group.state === 'Empty') return ErrorCode.NONE;
    if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    const member = group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.scheduleExpiry(group, member);
    return ErrorCode.NONE;
  }

  describe(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (!group) return { groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
    return {
      groupId,
      state: group.state,
      protocolType: group.protocolType,
      protocol: group.protocol,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: m.protocols.find((p) => p.name === group.protocol)?.metadata ?? NO_ASSIGNMENT,
        assignment: group.state === 'Stable' ? m.assignment : NO_ASSIGNMENT,
      })),
    };
  }

  /**
   * Takes a group back as it last settled, like Kafka loading __consumer_offsets: Stable with its
   * members and assignments (their sessions start now), or Empty.
   */
  restore(snapshot: GroupSnapshot): void {
    const group = this.groupFor(snapshot.groupId);
    Object.assign(group, {
      state: snapshot.members.length > 0 ? 'Stable' : 'Empty',
      generationId: snapshot.generationId,
      protocolType: snapshot.protocolType,
      protocol: snapshot.protocol,
      leaderId: snapshot.leaderId,
    });
    group.members.clear();
    for (const member of snapshot.members) group.members.set(member.memberId, { ...member });
    for (const member of group.members.values()) this.scheduleExpiry(group, member);
  }

  list(): Array<{ groupId: string; protocolType: string }> {
    return [...this.groups.values()].map((g) => ({ groupId: g.groupId, protocolType: g.protocolType }));
  }

  memberIds(groupId: string): string[] {
    return [...(this.groups.get(groupId)?.members.keys() ?? [])];
  }

  /** Stops every timer and answers every waiting JoinGroup/SyncGroup, so nothing outlives the broker. */
  close(): void {
    this.closed = true;
    for (const group of this.groups.values()) {
      clearTimeout(group.rebalanceTimer);
      clearTimeout(group.initialDelayTimer);
      for (const pendingTimer of group.pendingMembers.values()) clearTimeout(pendingTimer);
      group.pendingMembers.clear();
      for (const member of group.members.values()) {
        this.cancelExpiry(member);
        member.pendingJoin?.(failedJoin(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
        member.pendingSync?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: NO_ASSIGNMENT });
        member.pendingJoin = undefined;
        member.pendingSync = undefined;
      }
    }
  }

  private groupFor(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = {
        groupId,
        state: 'Empty',
        generationId: 0,
        protocolType: '',
        protocol: '',
        leaderId: '',
        members: new Map(),
        pendingMembers: new Map(),
        joinNotBefore: 0,
      };
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** A joining member must share the protocol type and at least one assignor with everyone else. */
  private supportsGroupProtocols(group: Group, request: JoinRequest): boolean {
    if (request.protocolType === '' || request.protocols.length === 0) return false;
    const others = [...group.members.values()].filter((m) => m.memberId !== request.memberId);
    if (others.length === 0) return true;
    if (request.protocolType !== group.protocolType) return false;
    return this.commonProtocols([...others.map((m) => m.protocols), request.protocols]).length > 0;
  }

  private commonProtocols(protocolLists: GroupProtocol[][]): string[] {
    const [first, ...rest] = protocolLists;
    if (!first) return [];
    return first.map((p) => p.name).filter((name) => rest.every((list) => list.some((p) => p.name === name)));
  }

  /** KIP-394: the member id a v4+ client must join with, kept for one session timeout. */
  private addPendingMember(group: Group, request: JoinRequest): JoinResult {
    const memberId = `${request.clientId}-${randomUUID()}`;
    group.pendingMembers.set(
      memberId,
      timer(request.sessionTimeoutMs, () => {
        group.pendingMembers.delete(memberId);
        this.tryCompleteJoin(group);
      }),
    );
    return failedJoin(ErrorCode.MEMBER_ID_REQUIRED, memberId);
  }

  private addMember(group: Group, memberId: string, request: JoinRequest, respond: (result: JoinResult) => void): void {
    clearTimeout(group.pendingMembers.get(memberId));
    group.pendingMembers.delete(memberId);
    group.members.set(memberId, {
      memberId,
      clientId: request.clientId,
      clientHost: request.clientHost,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      protocols: request.protocols,
      assignment: NO_ASSIGNMENT,
      pendingJoin: respond,
    });
    if (group.members.size === 1) group.protocolType = request.protocolType;
    if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
    else this.prepareRebalance(group);
  }

  private rejoin(group: Group, member: Member, request: JoinRequest, respond: (result: JoinResult) => void): void {
    const unchanged = sameProtocols(member.protocols, request.protocols);
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.protocols = request.protocols;
    // A follower rejoining a settled group with the same subscription (it lost the answer, or merely
    // re-checks) gets the current generation back; the leader or a changed subscription forces a rebalance.
    const settled = group.state === 'CompletingRebalance' || group.state === 'Stable';
    if (settled && unchanged && (group.state === 'CompletingRebalance' || member.memberId !== group.leaderId)) {
      this.scheduleExpiry(group, member);
      respond(this.joinResultFor(group, member));
      return;
    }
    member.pendingJoin?.(failedJoin(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
    member.pendingJoin = respond;
    this.cancelExpiry(member);
    if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
    else this.prepareRebalance(group);
  }

  private prepareRebalance(group: Group): void {
    if (group.state === 'CompletingRebalance') {
      for (const member of group.members.values()) {
        const respond = member.pendingSync;
        member.pendingSync = undefined;
        this.scheduleExpiry(group, member);
        respond?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: NO_ASSIGNMENT });
      }
    }
    for (const member of group.members.values()) member.assignment = NO_ASSIGNMENT;
    const wasEmpty = group.state === 'Empty';
    group.state = 'PreparingRebalance';
    const rebalanceTimeoutMs = Math.max(0, ...[...group.members.values()].map((m) => m.rebalanceTimeoutMs));
    clearTimeout(group.rebalanceTimer);
    group.rebalanceTimer = timer(rebalanceTimeoutMs, () => this.rebalanceTimedOut(group));
    const delay = wasEmpty ? this.options.initialRebalanceDelayMs : 0;
    group.joinNotBefore = Date.now() + delay;
    if (delay > 0) {
      clearTimeout(group.initialDelayTimer);
      group.initialDelayTimer = timer(delay, () => this.tryCompleteJoin(group));
    }
    this.tryCompleteJoin(group);
  }

  private tryCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance' || Date.now() < group.joinNotBefore) return;
    // As Kafka's hasAllMembersJoined: a member that was given an id but has not joined with it yet is awaited too.
    if (group.pendingMembers.size === 0 && [...group.members.values()].every((m) => m.pendingJoin)) this.completeJoin(group);
  }

  private rebalanceTimedOut(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    this.completeJoin(group);
  }

  private completeJoin(group: Group): void {
    clearTimeout(group.rebalanceTimer);
    clearTimeout(group.initialDelayTimer);
    for (const member of [...group.members.values()]) {
      if (!member.pendingJoin) this.removeMember(group, member);
    }
    group.generationId += 1;
    if (group.members.size === 0) {
      Object.assign(group, { state: 'Empty', protocol: '', protocolType: '', leaderId: '' });
      this.settled(group);
      return;
    }
    group.protocol = this.chooseProtocol(group);
    if (!group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value!;
    group.state = 'CompletingRebalance';
    for (const member of group.members.values()) {
      const respond = member.pendingJoin!;
      member.pendingJoin = undefined;
      this.scheduleExpiry(group, member);
      respond(this.joinResultFor(group, member));
    }
  }

  /** Each member votes for its most preferred protocol among those all members support. */
  private chooseProtocol(group: Group): string {
    const members = [...group.members.values()];
    const candidates = this.commonProtocols(members.map((m) => m.protocols));
    const votes = new Map(candidates.map((name) => [name, 0]));
    for (const member of members) {
      const choice = member.protocols.find((p) => votes.has(p.name));
      if (choice) votes.set(choice.name, votes.get(choice.name)! + 1);
    }
    return [...votes.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
  }

  private joinResultFor(group: Group, member: Member): JoinResult {
    const isLeader = member.memberId === group.leaderId;
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocol: group.protocol,
      leaderId: group.leaderId,
      memberId: member.memberId,
      members: isLeader
        ? [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            metadata: m.protocols.find((p) => p.name === group.protocol)?.metadata ?? NO_ASSIGNMENT,
          }))
        : [],
    };
  }

  private completeSync(group: Group, assignments: Map<string, Buffer>): void {
    for (const member of group.members.values()) member.assignment = assignments.get(member.memberId) ?? NO_ASSIGNMENT;
    group.state = 'Stable';
    this.settled(group);
    for (const member of group.members.values()) {
      const respond = member.pendingSync;
      member.pendingSync = undefined;
      this.scheduleExpiry(group, member);
      respond?.({ errorCode: ErrorCode.NONE, assignment: member.assignment });
    }
  }

  private settled(group: Group): void {
    this.options.persist?.({
      groupId: group.groupId,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocol: group.protocol,
      leaderId: group.leaderId,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        sessionTimeoutMs: m.sessionTimeoutMs,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        protocols: m.protocols,
        assignment: m.assignment,
      })),
    });
  }

  private removeMember(group: Group, member: Member): void {
    this.cancelExpiry(member);
    group.members.delete(member.memberId);
    member.pendingJoin?.(failedJoin(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    member.pendingSync?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: NO_ASSIGNMENT });
    member.pendingJoin = undefined;
    member.pendingSync = undefined;
  }

  private membershipChanged(group: Group): void {
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(group);
    else if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
  }

  /** (Re)starts the member's session clock; members awaiting a Join/Sync answer are kept alive instead. */
  private scheduleExpiry(group: Group, member: Member): void {
    this.cancelExpiry(member);
    if (this.closed || member.pendingJoin || member.pendingSync) return;
    member.sessionTimer = timer(member.sessionTimeoutMs, () => {
      if (group.members.get(member.memberId) !== member || member.pendingJoin || member.pendingSync) return;
      this.removeMember(group, member);
      this.membershipChanged(group);
    });
  }

  private cancelExpiry(member: Member): void {
    clearTimeout(member.sessionTimer);
    member.sessionTimer = undefined;
  }
}
