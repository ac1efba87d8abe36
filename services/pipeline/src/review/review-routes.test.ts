/**
 * The review desk's routes as `media-ai serve` builds them (buildServer, real stages, models and
 * photos), driven with app.inject: who gets in, what they see, and what a decision does.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePostEnhanced, type PostEnhancedEvent } from '@media-ai/contracts';
import { createHttpServer, HealthRegistry } from '@media-ai/http';
import { createLogger, createMetrics } from '@media-ai/telemetry';
import sharp from 'sharp';
import { buildServer, type EmbeddedServer } from '../cli/serve.js';
import type { EmbeddedPipeline } from '../embedded/embedded-pipeline.js';
import { contractExample, photoUrl, setPostId, testEnv, testRuntime, withPhotos, type TestEnv } from '../test-support/pipeline-env.js';
import { registerReviewRoutes, SESSION_COOKIE } from './review-routes.js';
import { ReviewSessions } from './review-sessions.js';

/** The organization of the platform's example post: the tenant whose reviewer is alice. */
const TENANT = 'c47a1e2b-6f90-4d3c-8e15-b0a29d7f6e83';
const ALICE = 'alice-review-token-0123456789abcdef0123456789';
const BOB = 'bob-review-token-0123456789abcdef0123456789abc';
const API_TOKEN = 'platform-api-token-0123456789abcdef0123456789';

let env: TestEnv;
let server: EmbeddedServer;
let pipeline: EmbeddedPipeline;
const logLines: string[] = [];

interface SignedIn {
  cookie: string;
  csrf: string;
}

async function signIn(token: string): Promise<SignedIn> {
  const response = await server.app.inject({ method: 'POST', url: '/review/api/session', payload: { token } });
  expect(response.statusCode, response.body).toBe(200);
  const set = response.cookies.find((c) => c.name === SESSION_COOKIE)!;
  return { cookie: `${SESSION_COOKIE}=${set.value}`, csrf: (response.json() as { csrf_token: string }).csrf_token };
}

async function submitPost(): Promise<string> {
  const postId = randomUUID();
  const event = setPostId(withPhotos(contractExample('post.created.json'), [photoUrl('bicycles_two_riders.jpg')]), postId);
  const accepted = await server.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: `Bearer ${API_TOKEN}` },
    payload: event,
  });
  expect(accepted.statusCode, accepted.body).toBe(202);
  await pipeline.waitForEnrichment(postId);
  return postId;
}

beforeAll(async () => {
  env = testEnv({
    LOG_LEVEL: 'INFO',
    MEDIA_AI_API_TOKENS: `platform:${API_TOKEN}`,
    MEDIA_AI_REVIEW_TOKENS: `${TENANT}:alice:${ALICE},other-org:bob:${BOB}`,
    REVIEW_RATE_LIMIT_PER_MINUTE: '60',
    // The desk's tiers: the bars lowered so this photo's weaker tags wait for a person.
    AI_CONFIDENCE_HUMAN_REVIEW: '0.3',
    AI_CONFIDENCE_DISCARD_BELOW: '0.2',
  });
  const runtime = testRuntime(env.env);
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  server = await buildServer({ ...runtime, logger: createLogger({ service: 'media-ai', level: 'INFO', destination: logs }) });
  pipeline = await server.start();
});

afterAll(async () => {
  await server?.close();
  env?.cleanup();
});

describe('the review desk page', () => {
  it('is served with a strict Content-Security-Policy, its script and style from the service itself', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/review' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // No inline script or style, nothing from another origin.
    expect(page.body).not.toMatch(/<script(?![^>]*\ssrc="\/review\/assets\/)/);
    expect(page.body).not.toMatch(/<style|style=|https?:\/\//);
    const script = await server.app.inject({ method: 'GET', url: '/review/assets/desk.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    const style = await server.app.inject({ method: 'GET', url: '/review/assets/desk.css' });
    expect(style.statusCode).toBe(200);
  });
});

describe('who gets in', () => {
  it('refuses a wrong token, and answers every API route 401 without a session', async () => {
    const wrong = await server.app.inject({ method: 'POST', url: '/review/api/session', payload: { token: 'x'.repeat(40) } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.cookies).toEqual([]);
    for (const url of ['/review/api/session', '/review/api/queue', '/review/api/items', '/review/api/decisions']) {
      const response = await server.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
      expect(response.json().error.code).toBe('MEDIA_AI_REVIEW_SIGN_IN_REQUIRED');
    }
    // The API's bearer token is not a reviewer session.
    const bearer = await server.app.inject({ method: 'GET', url: '/review/api/queue', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(bearer.statusCode).toBe(401);
    // Nor does a made-up session id open anything.
    const forged = await server.app.inject({ method: 'GET', url: '/review/api/queue', headers: { cookie: `${SESSION_COOKIE}=forged` } });
    expect(forged.statusCode).toBe(401);
  });

  it('signs a reviewer in with an HttpOnly, SameSite=Strict cookie scoped to /review, and never echoes the token', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/review/api/session', payload: { token: ALICE } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ reviewer: 'alice', tenant: TENANT, csrf_token: expect.any(String) });
    expect(response.body).not.toContain(ALICE);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).toMatch(/Path=\/review/);
    expect(header).not.toMatch(/Secure/); // development; production sets it (below)
    expect(header).not.toContain(ALICE);
  });

  it('signs out: the session no longer opens anything', async () => {
    const session = await signIn(ALICE);
    const out = await server.app.inject({
      method: 'DELETE',
      url: '/review/api/session',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    });
    expect(out.statusCode).toBe(204);
    const after = await server.app.inject({ method: 'GET', url: '/review/api/queue', headers: { cookie: session.cookie } });
    expect(after.statusCode).toBe(401);
  });
});

describe('a post through the desk', () => {
  let postId: string;
  let alice: SignedIn;
  let bob: SignedIn;
  let first: PostEnhancedEvent;

  beforeAll(async () => {
    postId = await submitPost();
    first = pipeline.enrichmentOf(postId) as PostEnhancedEvent;
    alice = await signIn(ALICE);
    bob = await signIn(BOB);
  });

  const decide = (who: SignedIn | null, body: Record<string, unknown>, csrf: string | null = who?.csrf ?? null) =>
    server.app.inject({
      method: 'POST',
      url: '/review/api/decisions',
      headers: { ...(who ? { cookie: who.cookie } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      payload: body,
    });

  it("is in its tenant's queue with its photo, boxes and tags waiting, and nowhere else", async () => {
    const queue = await server.app.inject({ method: 'GET', url: '/review/api/queue', headers: { cookie: alice.cookie } });
    expect(queue.statusCode).toBe(200);
    const entry = (queue.json() as { posts: Array<Record<string, unknown>> }).posts.find((p) => p['post_id'] === postId) as {
      tenant: string;
      photos: Array<{ photo_id: string; objects: unknown[] }>;
      tags: Array<{ tag: string; reviewable: boolean; tier: string }>;
    };
    expect(entry).toBeDefined();
    expect(entry.tenant).toBe(TENANT);
    expect(entry.tags.filter((t) => t.reviewable).length).toBeGreaterThanOrEqual(2);
    expect(entry.photos[0]!.objects.length).toBeGreaterThan(0);

    const photo = await server.app.inject({
      method: 'GET',
      url: `/review/api/posts/${postId}/photos/${entry.photos[0]!.photo_id}`,
      headers: { cookie: alice.cookie },
    });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(photo.rawPayload).metadata()).format).toBe('jpeg');

    // Bob reviews another tenant: the post does not exist for him.
    const bobs = await server.app.inject({ method: 'GET', url: '/review/api/queue', headers: { cookie: bob.cookie } });
    expect((bobs.json() as { posts: Array<{ post_id: string }> }).posts.map((p) => p.post_id)).not.toContain(postId);
    const bobsPhoto = await server.app.inject({
      method: 'GET',
      url: `/review/api/posts/${postId}/photos/${entry.photos[0]!.photo_id}`,
      headers: { cookie: bob.cookie },
    });
    expect(bobsPhoto.statusCode).toBe(404);

    // Filters: a tier it has, an item it has not.
    const byItem = await server.app.inject({ method: 'GET', url: '/review/api/queue?item=passport', headers: { cookie: alice.cookie } });
    expect((byItem.json() as { posts: Array<{ post_id: string }> }).posts.map((p) => p.post_id)).not.toContain(postId);
    const tier = entry.tags.find((t) => t.reviewable)!.tier;
    const byTier = await server.app.inject({ method: 'GET', url: `/review/api/queue?tier=${tier}`, headers: { cookie: alice.cookie } });
    expect((byTier.json() as { posts: Array<{ post_id: string }> }).posts.map((p) => p.post_id)).toContain(postId);
  });

  it('refuses a decision without the CSRF token, with another session’s, or from another tenant', async () => {
    const tag = first.data.tag_grades.find((g) => g.tier === 'human_review' || g.tier === 'suggest')!.tag;
    const body = { post_id: postId, revision: first.data.revision, tag, action: 'accept' };
    const noCsrf = await decide(alice, body, null);
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('MEDIA_AI_CSRF_REJECTED');
    const othersCsrf = await decide(alice, body, bob.csrf);
    expect(othersCsrf.statusCode).toBe(403);
    const signedOut = await decide(null, body, alice.csrf);
    expect(signedOut.statusCode).toBe(401);
    const otherTenant = await decide(bob, body);
    expect(otherTenant.statusCode).toBe(404);
    const formPost = await server.app.inject({
      method: 'POST',
      url: '/review/api/decisions',
      headers: { cookie: alice.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `post_id=${postId}&tag=${tag}&action=accept&revision=1`,
    });
    expect(formPost.statusCode).toBe(415);
    const badCorrection = await decide(alice, { ...body, action: 'correct', corrected_to: 'spaceship' });
    expect(badCorrection.statusCode).toBe(400);
    expect(pipeline.reviews.decisionsOf(TENANT).filter((d) => d.post_id === postId)).toEqual([]);
  });

  it('publishes an accepted and a rejected tag as decisions, and the post comes back in revisions carrying them', async () => {
    const [accepted, rejected] = first.data.tag_grades.filter((g) => g.tier === 'human_review' || g.tier === 'suggest');
    const accept = await decide(alice, { post_id: postId, revision: first.data.revision, tag: accepted!.tag, action: 'accept' });
    expect(accept.statusCode, accept.body).toBe(202);
    const reject = await decide(alice, { post_id: postId, revision: first.data.revision, tag: rejected!.tag, action: 'reject' });
    expect(reject.statusCode, reject.body).toBe(202);

    const latest = (await pipeline.waitForEnrichment(postId, 60_000, 3)) as PostEnhancedEvent;
    expect(latest.data.revision).toBe(first.data.revision + 2);
    expect(validatePostEnhanced(latest).errors).toEqual([]);
    expect(latest.data.tag_grades.find((g) => g.tag === accepted!.tag)).toMatchObject({ tier: 'auto_apply' });
    expect(latest.data.tag_grades.find((g) => g.tag === accepted!.tag)!.sources).toContain('reviewer');
    expect(latest.data.tag_grades.map((g) => g.tag)).not.toContain(rejected!.tag);

    // A decided tag is no longer open; the decisions are on their topic and held for the eval.
    const again = await decide(alice, { post_id: postId, revision: latest.data.revision, tag: rejected!.tag, action: 'reject' });
    expect(again.statusCode).toBe(409);
    const held = await server.app.inject({ method: 'GET', url: '/review/api/decisions', headers: { cookie: alice.cookie } });
    const decisions = (held.json() as { decisions: Array<{ post_id: string; tag: string; action: string; reviewer: string }> }).decisions;
    expect(decisions.filter((d) => d.post_id === postId).map((d) => [d.tag, d.action, d.reviewer])).toEqual([
      [accepted!.tag, 'accept', 'alice'],
      [rejected!.tag, 'reject', 'alice'],
    ]);
    const bobsView = await server.app.inject({ method: 'GET', url: '/review/api/decisions', headers: { cookie: bob.cookie } });
    expect((bobsView.json() as { decisions: unknown[] }).decisions).toEqual([]);

    // One audit line per decision: who, what, when; no text read off the photo, no photo bytes.
    const audit = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['audit'] === 'review.decision');
    const mine = audit.filter((l) => l['post_id'] === postId);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({
      reviewer: 'alice',
      tenant: TENANT,
      tag: accepted!.tag,
      action: 'accept',
      decided_at: expect.any(String),
    });
    const ocrText = (latest.data.ai_analysis.text_content ?? []).map((t) => t.text).filter((t) => t.length > 2);
    for (const line of mine) for (const text of ocrText) expect(JSON.stringify(line)).not.toContain(text);
  });

  it('takes a deleted post off the desk at once', async () => {
    const deleted = contractExample('post.deleted.json');
    setPostId(deleted, postId);
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${API_TOKEN}` },
      payload: deleted,
    });
    expect(response.statusCode, response.body).toBe(202);
    await expect.poll(() => pipeline.tombstoneOf(postId), { timeout: 30_000 }).toBeDefined();
    await expect.poll(() => pipeline.reviews.entry(postId, TENANT), { timeout: 30_000 }).toBeUndefined();
    const tag = first.data.tag_grades.find((g) => g.tier === 'human_review' || g.tier === 'suggest')!.tag;
    const decision = await decide(alice, { post_id: postId, revision: first.data.revision, tag, action: 'accept' });
    expect(decision.statusCode).toBe(404);
  });
});

describe('rate limits and the desk switch', () => {
  it('limits each client per minute with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i += 1) {
      const response = await server.app.inject({ method: 'GET', url: '/review/api/session', remoteAddress: '203.0.113.7' });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) expect(response.headers['retry-after']).toBeDefined();
    }
    expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
    expect(statuses[60]).toBe(429);
  });

  it('is off without reviewer tokens: /review does not exist', async () => {
    const off = await buildServer(testRuntime(testEnv().env));
    try {
      expect((await off.app.inject({ method: 'GET', url: '/review' })).statusCode).toBe(404);
      expect((await off.app.inject({ method: 'POST', url: '/review/api/session', payload: { token: ALICE } })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('sets the Secure flag on the session cookie in production', async () => {
    const app = await createHttpServer({
      service: 'desk',
      version: 'test',
      metrics: createMetrics().registry,
      health: new HealthRegistry(),
      docs: false,
      rateLimit: { perMinute: 0, perHour: 0 },
    });
    await registerReviewRoutes(app, {
      backend: new Promise(() => undefined),
      sessions: new ReviewSessions({ tokens: [{ tenant: TENANT, name: 'alice', token: ALICE }] }),
      assets: async () => ({ js: Buffer.from(''), css: Buffer.from('') }),
      secureCookie: true,
      ratePerMinute: 10,
    });
    const response = await app.inject({ method: 'POST', url: '/review/api/session', payload: { token: ALICE } });
    expect(String(response.headers['set-cookie'])).toMatch(/; Secure/);
    await app.close();
  });
});
