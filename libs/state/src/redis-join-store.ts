/**
 * The aggregator's join state in Redis, so any replica can take over a partition after a rebalance
 * (or a crash) with every part already stored: nothing that matters lives in the process. Each write
 * is one Lua script, so the update and the answer ("what is in now") are one atomic step even when
 * two replicas (or a redelivery racing the original) write the same post at once.
 *
 * Layout, under the key prefix (default `media-ai:join:`):
 * - `post:<post_id>` (hash): `first` (first seen), `m`/`mrev`/`mdl` (manifest JSON, revision,
 *   deadline), `prev`/`pat`/`pev`/`pparts` (published revision, when, event JSON, parts it used),
 *   `orev`/`oev` (the deadline timer's unacknowledged offer), `seq` (arrival counter) and one field
 *   per part, `p:<revision>:<stage>:<photo_id>` = `<seq>\n<status>\n<sha256>\n<JoinPart JSON>`
 *   (`b:` instead of `p:` once the published event used it), `msha` (the manifest's photo -> sha256)
 *   and `mstale` (its stale_before, JSON). A carried part keeps its value as the stage published it,
 *   so its JSON names the revision it was made for (carried_from) while its field names the one it
 *   serves. Its TTL is the
 *   join's grace period: an open join lives until its deadline plus the grace, an orphan until the
 *   orphan TTL plus the grace, a published post as long as duplicates of it are likely.
 * - `deadlines` (sorted set): post ids scored by when listExpired must report them (the manifest's
 *   deadline, or first seen + orphan TTL for parts without a manifest); a post leaves it once published.
 * - `post-images:<post_id>` (set): the images (sha256) the post's manifests listed as fetched, and
 *   `image-posts:<sha256>` (set): the posts using the image. Both written by putManifest in its
 *   script, both living imageReferenceTtlMs after the last manifest that listed the image.
 * - `tomb:<post_id>` (hash): a forgotten post's tombstone, `event_type` and `at`, plus `pending`
 *   (JSON list of sha256) while the images forget() returned are not yet deleted; lives
 *   tombstoneTtlMs. While it exists, putManifest and putPart store nothing.
 *
 * The semantics are MemoryJoinStore's, checked by the same contract tests. Must never decide to
 * publish (the stage does), never keep state in the process, and never hide a Redis failure: every
 * failure is a MEDIA_AI_STATE_UNAVAILABLE, an outage in the catalogue, so the runner retries the
 * input until Redis is back (never committing nor dead-lettering it). Needs one Redis node (or a primary with replicas): the scripts touch a post's hash
 * and the shared sorted set, which Redis Cluster would refuse as cross-slot.
 */
import {
  currentManifest,
  MediaAiError,
  type AnalysisStage,
  type AnyVersionManifest,
  type PartRecord,
  type PostManifest,
} from '@media-ai/contracts';
import type { Redis } from 'ioredis';
import {
  DEFAULT_IMAGE_REFERENCE_TTL_MS,
  DEFAULT_TOMBSTONE_TTL_MS,
  forgottenState,
  isPostEndingEvent,
  isPublished,
  type JoinPart,
  type JoinState,
  type JoinStore,
  type PostTombstone,
} from './join-store.js';
import { luaScript, runLua, type LuaScript } from './redis-script.js';

/** The first element of a script's answer for a forgotten post (no field of a post's hash starts with '!'). */
const FORGOTTEN = '!forgotten';

export interface RedisJoinStoreOptions {
  /** A connected ioredis client; the caller owns it (and closes it). */
  redis: Redis;
  /** Prefix of every key (tests use a random one per test). Default `media-ai:join:`. */
  keyPrefix?: string;
  clock?: () => number;
  /** Parts with no manifest are reported as expired after this long (default 10 min). */
  orphanTtlMs?: number;
  /** A published post is remembered this long (default 1 h) so duplicates of it are recognised. */
  publishedTtlMs?: number;
  /**
   * How long an open join outlives its deadline (or an orphan its TTL) in Redis before it expires on
   * its own (default 1 h). The deadline timer normally finishes the post long before; the grace only
   * bounds what a post whose every replica was down for that long leaves behind.
   */
  graceMs?: number;
  /** A forgotten post's tombstone lives this long (default 7 days; MEDIA_AI_TOMBSTONE_TTL_HOURS). */
  tombstoneTtlMs?: number;
  /** A post's use of an image is remembered this long after the last manifest listing it (default 7 days). */
  imageReferenceTtlMs?: number;
}

/**
 * Shared by every script: KEYS[1] the post's hash, KEYS[2] the deadlines, KEYS[3] the post's tombstone;
 * ARGV[1] post id, ARGV[2] now, ARGV[3] orphan TTL, ARGV[4] published TTL, ARGV[5] grace, ARGV[6] the key prefix.
 */
const PRELUDE = `
local key, zkey, tomb = KEYS[1], KEYS[2], KEYS[3]
local postId, nowText, prefix = ARGV[1], ARGV[2], ARGV[6]
local now, orphanTtl, publishedTtl, grace = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])

-- What a write to a forgotten post answers instead of its state: the tombstone (see parseState).
local function forgotten()
  local t = redis.call('HMGET', tomb, 'event_type', 'at')
  return { '${FORGOTTEN}', t[1], t[2] }
end

-- Deletes the part fields whose revision keep() refuses.
local function dropParts(keep)
  for _, f in ipairs(redis.call('HKEYS', key)) do
    if string.sub(f, 1, 2) == 'p:' then
      local rev = tonumber(string.match(f, '^p:(%-?%d+):'))
      if not keep(rev) then redis.call('HDEL', key, f) end
    end
  end
end

-- Stores a part unless one is there already: first write wins, except that a success replaces a
-- give-up (the stage retried and got through). A replacement keeps its arrival number. valueOf is a
-- value, or a function of the arrival number for a new part.
local function upsert(field, status, valueOf)
  local existing = redis.call('HGET', key, field)
  if not existing then
    local v = valueOf
    if type(valueOf) == 'function' then v = valueOf(redis.call('HINCRBY', key, 'seq', 1)) end
    redis.call('HSET', key, field, v)
    return
  end
  local seq, old = string.match(existing, '^(%d+)\\n([^\\n]*)\\n')
  if old ~= 'ok' and status == 'ok' then
    local v = valueOf
    if type(valueOf) == 'function' then v = valueOf(seq) end
    redis.call('HSET', key, field, v)
  end
end

-- Whether a part of stage is current under a manifest's stale_before: made for no earlier revision
-- than its entry. made is the revision, or a function returning it (read only when there is an entry).
local function current(stale, stage, made)
  local from = stale[stage]
  if from == nil then return true end
  if type(made) == 'function' then made = made() end
  return made >= tonumber(from)
end

-- The revision a stored part value was made for: its JoinPart JSON keeps the record as the stage published it.
local function madeFor(value)
  return tonumber(cjson.decode(string.match(value, '^%d+\\n[^\\n]*\\n[^\\n]*\\n(.*)$')).record.revision)
end

-- Keeps the deadline index and the key's TTL in step with the state just written.
local function reindex()
  local h = redis.call('HMGET', key, 'mrev', 'mdl', 'prev', 'pat', 'first')
  local mrev, mdl, prev, pat, first = tonumber(h[1]), tonumber(h[2]), tonumber(h[3]), tonumber(h[4]), tonumber(h[5])
  local expireAt
  if mrev and not (prev and prev >= mrev) then
    redis.call('ZADD', zkey, mdl, postId)
    expireAt = mdl + grace
  elseif not mrev and not prev then
    redis.call('ZADD', zkey, first + orphanTtl, postId)
    expireAt = first + orphanTtl + grace
  else
    redis.call('ZREM', zkey, postId)
    expireAt = (pat or now) + publishedTtl
  end
  -- Relative TTL: the store's clock may be a test's, Redis's is the wall clock.
  redis.call('PEXPIRE', key, math.max(math.floor(expireAt - now), 1))
end
`;

/**
 * ARGV[7] revision, ARGV[8] deadline, ARGV[9] manifest JSON, ARGV[10] {photo_id: sha256} of its ok
 * photos, ARGV[11] its stale_before ({stage: revision}), ARGV[12] the image reference TTL.
 */
const PUT_MANIFEST = `${PRELUDE}
if redis.call('EXISTS', tomb) == 1 then return forgotten() end
-- The post uses the images of its fetched photos, whatever this manifest's revision: the fetcher stored them.
local refTtl = tonumber(ARGV[12])
local images = prefix .. 'post-images:' .. postId
for _, sha in pairs(cjson.decode(ARGV[10])) do
  redis.call('SADD', images, sha)
  local users = prefix .. 'image-posts:' .. sha
  redis.call('SADD', users, postId)
  redis.call('PEXPIRE', users, refTtl)
end
if redis.call('EXISTS', images) == 1 then redis.call('PEXPIRE', images, refTtl) end
redis.call('HSETNX', key, 'first', nowText)
local h = redis.call('HMGET', key, 'mrev', 'prev', 'orev')
local mrev, prev, orev = tonumber(h[1]), tonumber(h[2]), tonumber(h[3])
local rev = tonumber(ARGV[7])
if not (prev and rev <= prev) and not (mrev and rev <= mrev) then
  redis.call('HSET', key, 'm', ARGV[9], 'mrev', ARGV[7], 'mdl', ARGV[8], 'msha', ARGV[10], 'mstale', ARGV[11])
  local okSha = cjson.decode(ARGV[10])
  local stale = cjson.decode(ARGV[11])
  -- Parts of older revisions (held, or the published ones) complete this one only when carried
  -- over: same photo, same image, current for their stage. The rest are dropped.
  for _, f in ipairs(redis.call('HKEYS', key)) do
    local kind, r, rest = string.match(f, '^([pb]):(%-?%d+):(.*)$')
    if kind and (kind == 'b' or tonumber(r) < rev) then
      local value = redis.call('HGET', key, f)
      local status, sha = string.match(value, '^%d+\\n([^\\n]*)\\n([^\\n]*)\\n')
      local stage, photo = string.match(rest, '^([^:]+):(.*)$')
      if sha ~= '' and okSha[photo] == sha and current(stale, stage, function() return madeFor(value) end) then
        upsert('p:' .. ARGV[7] .. ':' .. rest, status, value)
      end
      if kind == 'p' then redis.call('HDEL', key, f) end
    end
  end
  if orev and orev < rev then redis.call('HDEL', key, 'orev', 'oev') end
end
reindex()
return redis.call('HGETALL', key)
`;

/** ARGV[7] revision, ARGV[8] stage, ARGV[9] photo id, ARGV[10] status, ARGV[11] sha256, ARGV[12] JoinPart JSON. */
const PUT_PART = `${PRELUDE}
if redis.call('EXISTS', tomb) == 1 then return forgotten() end
redis.call('HSETNX', key, 'first', nowText)
local h = redis.call('HMGET', key, 'mrev', 'prev', 'msha', 'mstale')
local mrev, prev = tonumber(h[1]), tonumber(h[2])
local rev = tonumber(ARGV[7])
local suffix = ':' .. ARGV[8] .. ':' .. ARGV[9]
local function value(seq) return seq .. '\\n' .. ARGV[10] .. '\\n' .. ARGV[11] .. '\\n' .. ARGV[12] end
if mrev and rev < mrev then
  -- Late for its own revision; it may still serve the open one (see putManifest).
  if not (prev and prev >= mrev) and ARGV[11] ~= '' and cjson.decode(h[3] or '{}')[ARGV[9]] == ARGV[11]
    and current(cjson.decode(h[4] or '{}'), ARGV[8], rev) then
    upsert('p:' .. h[1] .. suffix, ARGV[10], value)
  end
elseif not (prev and rev <= prev) then
  upsert('p:' .. ARGV[7] .. suffix, ARGV[10], value)
end
reindex()
return redis.call('HGETALL', key)
`;

/** ARGV[7] revision, ARGV[8] event JSON ('' for none). Returns the published event JSON, or nil. */
const MARK_PUBLISHED = `${PRELUDE}
if redis.call('EXISTS', key) == 0 then return false end
local h = redis.call('HMGET', key, 'prev', 'orev', 'oev')
local prev, orev = tonumber(h[1]), tonumber(h[2])
local rev = tonumber(ARGV[7])
if prev and rev < prev then return false end
if prev ~= rev then
  local event = ARGV[8]
  -- An offered event may already be on the broker: it is the revision's content.
  if orev == rev then event = h[3] end
  -- The revision's parts become the published ones (the next revision's starting point).
  local entries = {}
  local all = redis.call('HGETALL', key)
  local partPrefix = 'p:' .. ARGV[7] .. ':'
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, 2) == 'b:' then redis.call('HDEL', key, all[i]) end
  end
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, #partPrefix) == partPrefix then
      local name = string.sub(all[i], #partPrefix + 1)
      entries[#entries + 1] = { tonumber(string.match(all[i + 1], '^(%d+)\\n')), name }
      redis.call('HSET', key, 'b:' .. ARGV[7] .. ':' .. name, all[i + 1])
      redis.call('HDEL', key, all[i])
    end
  end
  table.sort(entries, function(a, b) return a[1] < b[1] end)
  local names = {}
  for i, e in ipairs(entries) do names[i] = e[2] end
  local pparts = '[]'
  if #names > 0 then pparts = cjson.encode(names) end
  redis.call('HSET', key, 'prev', ARGV[7], 'pev', event, 'pparts', pparts)
end
if orev and orev <= rev then redis.call('HDEL', key, 'orev', 'oev') end
redis.call('HSET', key, 'pat', nowText)
dropParts(function(r) return r > rev end)
reindex()
return redis.call('HGET', key, 'pev')
`;

/** ARGV[7] revision, ARGV[8] event JSON. Returns the event JSON to send, or nil. */
const OFFER = `${PRELUDE}
local h = redis.call('HMGET', key, 'mrev', 'prev', 'orev', 'oev')
local mrev, prev, orev = tonumber(h[1]), tonumber(h[2]), tonumber(h[3])
local rev = tonumber(ARGV[7])
if mrev ~= rev or (prev and prev >= rev) then return false end
if orev == rev then return h[4] end
redis.call('HSET', key, 'orev', ARGV[7], 'oev', ARGV[8])
return ARGV[8]
`;

/**
 * ARGV[7] event type, ARGV[8] received at, ARGV[9] tombstone TTL. Returns the images no post uses now
 * (those of the post, and those an earlier, unfinished forget returned), sorted.
 */
const FORGET = `${PRELUDE}
redis.call('DEL', key)
redis.call('ZREM', zkey, postId)
-- The first ending event stays, except that a deletion overrides a resolution.
local held = redis.call('HGET', tomb, 'event_type')
if not held or (ARGV[7] == 'post.deleted' and held ~= 'post.deleted') then
  redis.call('HSET', tomb, 'event_type', ARGV[7], 'at', ARGV[8])
end
local candidates = {}
local pending = redis.call('HGET', tomb, 'pending')
if pending then for _, sha in ipairs(cjson.decode(pending)) do candidates[sha] = true end end
local images = prefix .. 'post-images:' .. postId
for _, sha in ipairs(redis.call('SMEMBERS', images)) do
  redis.call('SREM', prefix .. 'image-posts:' .. sha, postId)
  candidates[sha] = true
end
redis.call('DEL', images)
local unused = {}
for sha in pairs(candidates) do
  -- An empty set does not exist in Redis: nobody uses the image.
  if redis.call('EXISTS', prefix .. 'image-posts:' .. sha) == 0 then unused[#unused + 1] = sha end
end
table.sort(unused)
if #unused > 0 then redis.call('HSET', tomb, 'pending', cjson.encode(unused)) else redis.call('HDEL', tomb, 'pending') end
redis.call('PEXPIRE', tomb, tonumber(ARGV[9]))
return unused
`;

const SCRIPTS = {
  forget: luaScript(FORGET),
  putManifest: luaScript(PUT_MANIFEST),
  putPart: luaScript(PUT_PART),
  markPublished: luaScript(MARK_PUBLISHED),
  offer: luaScript(OFFER),
};

/** `p:<revision>:...` a part of an open revision, `b:<revision>:...` one the published event used. */
const PART_FIELD = /^([pb]):(-?\d+):/;

export class RedisJoinStore implements JoinStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly clock: () => number;
  private readonly orphanTtlMs: number;
  private readonly publishedTtlMs: number;
  private readonly graceMs: number;
  private readonly tombstoneTtlMs: number;
  private readonly imageReferenceTtlMs: number;

  constructor(options: RedisJoinStoreOptions) {
    this.redis = options.redis;
    this.prefix = options.keyPrefix ?? 'media-ai:join:';
    this.clock = options.clock ?? Date.now;
    this.orphanTtlMs = options.orphanTtlMs ?? 10 * 60_000;
    this.publishedTtlMs = options.publishedTtlMs ?? 60 * 60_000;
    this.graceMs = options.graceMs ?? 60 * 60_000;
    this.tombstoneTtlMs = options.tombstoneTtlMs ?? DEFAULT_TOMBSTONE_TTL_MS;
    this.imageReferenceTtlMs = options.imageReferenceTtlMs ?? DEFAULT_IMAGE_REFERENCE_TTL_MS;
  }

  private postKey(postId: string): string {
    return `${this.prefix}post:${postId}`;
  }

  private get deadlinesKey(): string {
    return `${this.prefix}deadlines`;
  }

  private tombKey(postId: string): string {
    return `${this.prefix}tomb:${postId}`;
  }

  private imagePostsKey(sha256: string): string {
    return `${this.prefix}image-posts:${sha256}`;
  }

  private async run(which: LuaScript, postId: string, args: Array<string | number>): Promise<unknown> {
    const keys = [this.postKey(postId), this.deadlinesKey, this.tombKey(postId)];
    const argv = [postId, this.clock(), this.orphanTtlMs, this.publishedTtlMs, this.graceMs, this.prefix, ...args];
    return this.call(() => runLua(this.redis, which, keys, argv));
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new MediaAiError(
        'MEDIA_AI_STATE_UNAVAILABLE',
        `join state store failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  async get(postId: string): Promise<JoinState | null> {
    const flat = await this.call(() => this.redis.call('HGETALL', this.postKey(postId)));
    return parseState(postId, flat as string[], this.clock());
  }

  async putManifest(manifest: PostManifest): Promise<JoinState> {
    const okSha: Record<string, string> = {};
    for (const photo of manifest.photos) if (photo.status === 'ok' && photo.sha256) okSha[photo.photo_id] = photo.sha256;
    // '{}' stays an object through cjson; an empty Lua table would not.
    const stale = JSON.stringify(manifest.stale_before ?? {});
    const flat = await this.run(SCRIPTS.putManifest, manifest.post_id, [
      manifest.revision,
      manifest.deadline_at,
      JSON.stringify(manifest),
      JSON.stringify(okSha),
      stale,
      this.imageReferenceTtlMs,
    ]);
    return parseState(manifest.post_id, flat as string[], this.clock())!;
  }

  async putPart(stage: AnalysisStage, record: PartRecord): Promise<JoinState> {
    const part: JoinPart = { stage, record };
    const flat = await this.run(SCRIPTS.putPart, record.post_id, [
      record.revision,
      stage,
      record.photo_id,
      record.status,
      record.sha256 ?? '',
      JSON.stringify(part),
    ]);
    return parseState(record.post_id, flat as string[], this.clock())!;
  }

  async markPublished(postId: string, revision: number, event?: unknown): Promise<unknown> {
    const stored = await this.run(SCRIPTS.markPublished, postId, [revision, event === undefined ? '' : JSON.stringify(event)]);
    return parseJson(stored);
  }

  async offer(postId: string, revision: number, event: unknown): Promise<unknown> {
    return parseJson(await this.run(SCRIPTS.offer, postId, [revision, JSON.stringify(event)]));
  }

  async drop(postId: string): Promise<void> {
    await this.call(() => this.redis.multi().del(this.postKey(postId)).zrem(this.deadlinesKey, postId).exec());
  }

  async forget(tombstone: PostTombstone): Promise<string[]> {
    const unused = await this.run(SCRIPTS.forget, tombstone.post_id, [tombstone.event_type, tombstone.at, this.tombstoneTtlMs]);
    return unused as string[];
  }

  async imagesDeleted(postId: string): Promise<void> {
    await this.call(() => this.redis.hdel(this.tombKey(postId), 'pending'));
  }

  async tombstoneOf(postId: string): Promise<PostTombstone | null> {
    const [eventType, at] = await this.call(() => this.redis.hmget(this.tombKey(postId), 'event_type', 'at'));
    return eventType && isPostEndingEvent(eventType) ? { post_id: postId, event_type: eventType, at: Number(at) } : null;
  }

  async unusedImages(sha256s: readonly string[]): Promise<string[]> {
    const images = [...new Set(sha256s)];
    if (images.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const sha of images) pipeline.exists(this.imagePostsKey(sha));
    const replies = (await this.call(() => pipeline.exec())) ?? [];
    return images.filter((_, i) => {
      const [error, exists] = replies[i] ?? [null, 0];
      if (error) throw new MediaAiError('MEDIA_AI_STATE_UNAVAILABLE', `join state store failed: ${error.message}`, { cause: error });
      return exists === 0;
    });
  }

  async listExpired(now: number): Promise<JoinState[]> {
    const ids = await this.call(() => this.redis.zrangebyscore(this.deadlinesKey, '-inf', now));
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.call('HGETALL', this.postKey(id));
    const replies = (await this.call(() => pipeline.exec())) ?? [];
    const due: JoinState[] = [];
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const [error, flat] = replies[i] ?? [null, []];
      if (error) throw new MediaAiError('MEDIA_AI_STATE_UNAVAILABLE', `join state store failed: ${error.message}`, { cause: error });
      const state = parseState(id, flat as string[], this.clock());
      if (!state)
        gone.push(id); // its key expired (grace over): nothing left to publish
      else if (state.manifest ? !isPublished(state) : state.published_revision === null) due.push(state);
    });
    if (gone.length > 0) await this.call(() => this.redis.zrem(this.deadlinesKey, ...gone));
    // ZRANGEBYSCORE answered in deadline order, oldest first.
    return due;
  }
}

function parseJson(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return null;
  return JSON.parse(String(value));
}

/**
 * A post's hash (HGETALL as a flat array) as a JoinState; null for an empty (absent) hash. A script's
 * answer for a forgotten post (FORGOTTEN, event type, at) is the forgotten state.
 */
function parseState(postId: string, flat: string[], now: number): JoinState | null {
  if (!flat || flat.length === 0) return null;
  if (flat[0] === FORGOTTEN) {
    const eventType = flat[1] ?? '';
    // A tombstone a newer release wrote with another event type still means forgotten.
    const tombstone: PostTombstone = {
      post_id: postId,
      event_type: isPostEndingEvent(eventType) ? eventType : 'post.deleted',
      at: Number(flat[2]),
    };
    return forgottenState(tombstone, now);
  }
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
  const parts: Array<{ seq: number; part: JoinPart }> = [];
  const published: Array<{ seq: number; part: JoinPart }> = [];
  for (const [name, value] of fields) {
    const field = PART_FIELD.exec(name);
    if (!field) continue;
    // <seq>\n<status>\n<sha256>\n<JoinPart JSON>
    const lines = value.split('\n', 3);
    const part = JSON.parse(value.slice(lines.join('\n').length + 1)) as JoinPart;
    // A carried part is stored under the revision it now serves; its JSON still names the one it was made for.
    const made = part.record.revision;
    part.record.revision = Number(field[2]);
    if (made !== part.record.revision) part.carried_from = made;
    (field[1] === 'p' ? parts : published).push({ seq: Number(lines[0]), part });
  }
  parts.sort((a, b) => a.seq - b.seq);
  published.sort((a, b) => a.seq - b.seq);
  const number = (name: string): number | null => (fields.has(name) ? Number(fields.get(name)) : null);
  const orev = number('orev');
  return {
    post_id: postId,
    forgotten: null,
    // A manifest stored by a release before v3 is read in its current form, like one from the topic.
    manifest: fields.has('m') ? currentManifest(JSON.parse(fields.get('m')!) as AnyVersionManifest) : null,
    parts: parts.map((p) => p.part),
    published_revision: number('prev'),
    first_seen_at: number('first') ?? 0,
    published_at: number('pat'),
    published_event: parseJson(fields.get('pev')),
    published_parts: fields.has('pparts') ? (JSON.parse(fields.get('pparts')!) as string[]) : [],
    published_records: published.map((p) => p.part),
    pending_offer: orev === null ? null : { revision: orev, event: parseJson(fields.get('oev')) },
  };
}
