/**
 * The group coordinator's state machine on a fake clock: generations and leaders, rebalances on join
 * and leave, REBALANCE_IN_PROGRESS to heartbeats, stale-generation commits, session expiry and the
 * rebalance timeout for members that never rejoin, and KIP-394 member ids for JoinGroup v4+ clients.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupCoordinator, type JoinRequest, type JoinResult } from './group-coordinator.js';
import { ErrorCode } from './protocol.js';

const protocols = [{ name: 'RoundRobinAssigner', metadata: Buffer.from('meta') }];

function joinRequest(overrides: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId: 'g',
    memberId: '',
    sessionTimeoutMs: 1000,
    rebalanceTimeoutMs: 2000,
    protocolType: 'consumer',
    protocols,
    clientId: 'client',
    clientHost: '127.0.0.1',
    ...overrides,
  };
}

let coordinator: GroupCoordinator;

beforeEach(() => {
  // setImmediate stays real: settled() uses it to tell a waiting answer from a given one.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  coordinator = new GroupCoordinator({ minSessionTimeoutMs: 100, maxSessionTimeoutMs: 60_000, initialRebalanceDelayMs: 0 });
});

afterEach(() => {
  coordinator.close();
  vi.useRealTimers();
});

/** Joins and syncs a fresh member alone in the group; returns its join answer. */
async function soleMember(): Promise<JoinResult> {
  const joined = await coordinator.join(joinRequest());
  await coordinator.sync('g', joined.generationId, joined.memberId, new Map([[joined.memberId, Buffer.from('all')]]));
  return joined;
}

/** The promise's value if it is already settled, else 'pending'. */
async function settled<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

describe('group coordinator', () => {
  it('makes the first member leader of generation 1 and hands it its assignment', async () => {
    const joined = await coordinator.join(joinRequest());
    expect(joined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocol: 'RoundRobinAssigner', leaderId: joined.memberId });
    expect(joined.members).toEqual([{ memberId: joined.memberId, metadata: Buffer.from('meta') }]);
    const synced = await coordinator.sync('g', 1, joined.memberId, new Map([[joined.memberId, Buffer.from('mine')]]));
    expect(synced).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.from('mine') });
    expect(coordinator.describe('g').state).toBe('Stable');
  });

  it('rebalances when a second member joins: heartbeats say REBALANCE_IN_PROGRESS until everyone rejoins', async () => {
    const leader = await soleMember();
    const newcomer = coordinator.join(joinRequest({ clientId: 'other' }));
    expect(await settled(newcomer)).toBe('pending');
    expect(coordinator.heartbeat('g', 1, leader.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    // A commit of the current generation is still accepted while rebalancing (clients commit before rejoining).
    expect(coordinator.authorizeCommit('g', 1, leader.memberId)).toBe(ErrorCode.NONE);

    const leaderAgain = await coordinator.join(joinRequest({ memberId: leader.memberId }));
    const follower = await newcomer;
    expect(leaderAgain).toMatchObject({ generationId: 2, leaderId: leader.memberId });
    expect(leaderAgain.members).toHaveLength(2);
    expect(follower).toMatchObject({ generationId: 2, leaderId: leader.memberId, members: [] });

    const followerSync = coordinator.sync('g', 2, follower.memberId, new Map());
    expect(await settled(followerSync)).toBe('pending'); // waits for the leader's assignment
    const assignments = new Map([
      [leader.memberId, Buffer.from('L')],
      [follower.memberId, Buffer.from('F')],
    ]);
    expect((await coordinator.sync('g', 2, leader.memberId, assignments)).assignment).toEqual(Buffer.from('L'));
    expect((await followerSync).assignment).toEqual(Buffer.from('F'));
    expect(coordinator.heartbeat('g', 2, follower.memberId)).toBe(ErrorCode.NONE);
  });

  it('refuses commits and heartbeats from stale generations and unknown members', async () => {
    const leader = await soleMember();
    expect(coordinator.authorizeCommit('g', 0, leader.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(coordinator.authorizeCommit('g', 1, 'nobody')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.heartbeat('g', 0, leader.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(coordinator.heartbeat('g', 1, 'nobody')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await coordinator.join(joinRequest({ memberId: 'nobody' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    // Administrative commits (generation -1) only while the group is empty.
    expect(coordinator.authorizeCommit('g', -1, '')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.leave('g', leader.memberId)).toBe(ErrorCode.NONE);
    expect(coordinator.describe('g').state).toBe('Empty');
    expect(coordinator.authorizeCommit('g', -1, '')).toBe(ErrorCode.NONE);
    expect(coordinator.authorizeCommit('fresh', -1, '')).toBe(ErrorCode.NONE);
    expect(coordinator.authorizeCommit('fresh-2', 3, 'm')).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('expires a member that stops heartbeating and rebalances the rest', async () => {
    const leader = await soleMember();
    const second = coordinator.join(joinRequest({ clientId: 'second' }));
    await coordinator.join(joinRequest({ memberId: leader.memberId }));
    const follower = await second;
    await Promise.all([coordinator.sync('g', 2, follower.memberId, new Map()), coordinator.sync('g', 2, leader.memberId, new Map())]);

    // The leader keeps heartbeating; the follower falls silent.
    for (let elapsed = 0; elapsed < 1200; elapsed += 300) {
      await vi.advanceTimersByTimeAsync(300);
      const error = coordinator.heartbeat('g', 2, leader.memberId);
      if (error !== ErrorCode.NONE) {
        expect(error).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
        break;
      }
    }
    expect(coordinator.memberIds('g')).toEqual([leader.memberId]);
    const rejoined = await coordinator.join(joinRequest({ memberId: leader.memberId }));
    expect(rejoined).toMatchObject({ generationId: 3, leaderId: leader.memberId });
  });

  it('drops members that do not rejoin within the rebalance timeout, and elects a new leader', async () => {
    const leader = await soleMember();
    const second = coordinator.join(joinRequest({ clientId: 'second' }));
    await coordinator.join(joinRequest({ memberId: leader.memberId }));
    const follower = await second;
    await Promise.all([coordinator.sync('g', 2, follower.memberId, new Map()), coordinator.sync('g', 2, leader.memberId, new Map())]);

    // A third member starts a rebalance; only the follower rejoins, the old leader is busy (its
    // heartbeats keep its session alive, but it never sends JoinGroup).
    const third = coordinator.join(joinRequest({ clientId: 'third' }));
    const followerRejoin = coordinator.join(joinRequest({ memberId: follower.memberId }));
    for (let elapsed = 0; elapsed < 1800; elapsed += 300) {
      await vi.advanceTimersByTimeAsync(300);
      coordinator.heartbeat('g', 2, leader.memberId);
    }
    expect(await settled(third)).toBe('pending');
    await vi.advanceTimersByTimeAsync(300); // the 2 s rebalance timeout passes
    const [rejoined, newcomer] = await Promise.all([followerRejoin, third]);
    expect(rejoined.generationId).toBe(3);
    expect(coordinator.memberIds('g')).toEqual([follower.memberId, newcomer.memberId]);
    expect(rejoined.leaderId).toBe(follower.memberId);
    expect(coordinator.heartbeat('g', 2, leader.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('answers waiting followers with REBALANCE_IN_PROGRESS when the leader dies before syncing', async () => {
    const first = await soleMember();
    const second = coordinator.join(joinRequest({ clientId: 'second' }));
    await coordinator.join(joinRequest({ memberId: first.memberId }));
    const follower = await second;
    const followerSync = coordinator.sync('g', 2, follower.memberId, new Map());
    await vi.advanceTimersByTimeAsync(1100); // the leader's session runs out before it syncs
    expect(await followerSync).toMatchObject({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS });
    expect(coordinator.memberIds('g')).toEqual([follower.memberId]);
  });

  it('refuses bad session timeouts, empty group ids and incompatible protocols', async () => {
    expect((await coordinator.join(joinRequest({ sessionTimeoutMs: 50 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await coordinator.join(joinRequest({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    await soleMember();
    const otherAssignor = [{ name: 'RangeAssigner', metadata: Buffer.alloc(0) }];
    expect((await coordinator.join(joinRequest({ protocols: otherAssignor }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('hands a v4+ client its member id first (KIP-394), and a rebalance waits for that pending member', async () => {
    const leader = await soleMember();
    const asked = await coordinator.join(joinRequest({ clientId: 'modern', requireKnownMemberId: true }));
    expect(asked).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1 });
    expect(asked.memberId).toMatch(/^modern-/);
    // Not a member yet: no rebalance has started, and only that id gets in later.
    expect(coordinator.memberIds('g')).toEqual([leader.memberId]);
    expect(coordinator.heartbeat('g', 1, leader.memberId)).toBe(ErrorCode.NONE);

    // The leader rejoins (as after any rebalance trigger): the join completes only once the pending member joined too.
    const leaderRejoin = coordinator.join(joinRequest({ memberId: leader.memberId }));
    expect(await settled(leaderRejoin)).toBe('pending');
    const joined = await Promise.all([
      leaderRejoin,
      coordinator.join(joinRequest({ clientId: 'modern', memberId: asked.memberId, requireKnownMemberId: true })),
    ]);
    expect(joined.map((j) => [j.errorCode, j.generationId])).toEqual([
      [ErrorCode.NONE, 2],
      [ErrorCode.NONE, 2],
    ]);
    expect(coordinator.memberIds('g')).toEqual([leader.memberId, asked.memberId]);
  });

  it('forgets a pending member id after its session timeout, so the rebalance goes on without it', async () => {
    const leader = await soleMember();
    const asked = await coordinator.join(joinRequest({ clientId: 'gone', requireKnownMemberId: true }));
    const leaderRejoin = coordinator.join(joinRequest({ memberId: leader.memberId }));
    expect(await settled(leaderRejoin)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1100); // its 1 s session timeout passes without a join
    expect(await leaderRejoin).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect((await coordinator.join(joinRequest({ memberId: asked.memberId, requireKnownMemberId: true }))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });
});
