/// <reference lib="dom" />
// page.evaluate and waitForFunction bodies run in the page: they use the DOM
/**
 * The review desk in a real browser: `media-ai serve` started as a person starts it (bin/media-ai.js,
 * real stages, models and photos), Debian's Chromium driven by playwright-core (no browser download),
 * a post sent to POST /api/v1/events, and a reviewer working it with the keyboard. Screenshots at
 * 1280×800 and at phone width go to test-output/review-desk (gitignored).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostEnhancedEvent } from '@media-ai/contracts';
import { freePort } from '@media-ai/contracts/test-support';
import { contractExample, photoUrl, setPostId, testEnv, withPhotos, type TestEnv } from '@media-ai/pipeline/test-support';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENSHOTS = path.join(REPO_ROOT, 'test-output', 'review-desk');
/** The photo the README's screenshot shows: two people (their faces blurred) and their bicycles. */
const PHOTO = 'bicycles_two_riders.jpg';
/** The organization of the platform's example post: the tenant whose reviewer is alice. */
const TENANT = 'c47a1e2b-6f90-4d3c-8e15-b0a29d7f6e83';
const ALICE = 'alice-review-token-0123456789abcdef0123456789';
const BOB = 'bob-review-token-0123456789abcdef0123456789abc';
/** The flags the issue names: without the background-networking ones Chromium dials out many times a second. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let env: TestEnv;
let server: ChildProcess;
let serverLog = '';
let base: string;
let userDataDir: string;
let context: BrowserContext;
let postId: string;
let first: PostEnhancedEvent;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${serverLog.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function enrichment(): Promise<PostEnhancedEvent | undefined> {
  const response = await fetch(`${base}/api/v1/posts/${postId}/enrichment`);
  return response.ok ? ((await response.json()) as PostEnhancedEvent) : undefined;
}

/** A session from outside the browser (fetch, as any HTTP client would sign in). */
async function signIn(token: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${base}/review/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie()[0]!.split(';')[0]!;
  return { cookie, csrf: ((await response.json()) as { csrf_token: string }).csrf_token };
}

function decisionBody(tag: string) {
  return JSON.stringify({ post_id: postId, revision: first.data.revision, tag, action: 'accept' });
}

beforeAll(async () => {
  env = testEnv({
    LOG_LEVEL: 'INFO',
    MEDIA_AI_REVIEW_TOKENS: `${TENANT}:alice:${ALICE},other-org:bob:${BOB}`,
    // The desk's tiers: the bars lowered so this photo's weaker tags wait for a person.
    AI_CONFIDENCE_HUMAN_REVIEW: '0.3',
    AI_CONFIDENCE_DISCARD_BELOW: '0.2',
    // Serve scans uploads by default; this suite is about the desk, not clamd.
    SCAN_FOR_MALWARE: 'false',
  });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'media-ai.js'), 'serve'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => (serverLog = (serverLog + chunk.toString()).slice(-200_000));
  server.stdout!.on('data', keep);
  server.stderr!.on('data', keep);
  await until('serve ready', async () => ((await fetch(`${base}/api/v1/health/ready`)).status === 200 ? true : undefined), 240_000);

  postId = randomUUID();
  const event = setPostId(withPhotos(contractExample('post.created.json'), [photoUrl(PHOTO)]), postId);
  // The platform's example post, about this photo.
  const post = (event['payload'] as { post: { title: string; description: string } }).post;
  post.title = 'Two bicycles left at the park entrance';
  post.description = 'Found leaning on the gate, one with a basket';
  const accepted = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  expect(accepted.status).toBe(202);
  first = await until('the first enrichment', enrichment);

  userDataDir = mkdtempSync(path.join(os.tmpdir(), 'media-ai-chromium-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
  });
}, 300_000);

afterAll(async () => {
  await context?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  env?.cleanup();
});

/**
 * Script errors and CSP refusals the page reported: a strict policy must not break the page itself.
 * HTTP answers the page expects are not problems (the 401 of the signed-out session probe, the
 * browser's own /favicon.ico 404), so "Failed to load resource" lines are left out.
 */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** Opens the desk, signing in when the page asks (the context keeps the session cookie afterwards). */
async function openDesk(page: Page): Promise<void> {
  await page.goto(`${base}/review`);
  const token = page.getByLabel('Reviewer token');
  const desk = page.locator('.desk');
  await token.or(desk).first().waitFor();
  if (await token.isVisible()) {
    await token.fill(ALICE);
    await page.keyboard.press('Enter');
  }
  await page.locator(`article[data-post-id="${postId}"]`).waitFor({ timeout: 30_000 });
  // The photo drawn (faces blurred by the service), with its boxes over it.
  await page.waitForFunction(() => {
    const image = document.querySelector<HTMLImageElement>('.frame img');
    return image !== null && image.complete && image.naturalWidth > 0;
  });
}

describe('the review desk in Chromium', () => {
  it('shows the post sent to POST /api/v1/events, and a reviewer accepts one tag and rejects another with the keyboard', async () => {
    const page = await context.newPage();
    const problems = watch(page);
    await openDesk(page);
    expect(await page.locator('.frame .box.object').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desk-1280x800.png') });

    const open = first.data.tag_grades.filter((g) => g.tier === 'human_review' || g.tier === 'suggest').map((g) => g.tag);
    expect(open.length, 'two tags waiting for review').toBeGreaterThanOrEqual(2);

    // ↓ from outside the list focuses the first tag; ↓ again until a tag waiting for review has the focus.
    const focusedTag = () => page.evaluate(() => document.activeElement?.getAttribute('data-tag') ?? null);
    const focusOpen = async (skip: string[]) => {
      // From outside the tag list, ↓ starts at its top.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('ArrowDown');
      for (let i = 0; i < 20; i += 1) {
        const tag = await focusedTag();
        if (tag && open.includes(tag) && !skip.includes(tag)) return tag;
        await page.keyboard.press('ArrowDown');
      }
      throw new Error('no tag waiting for review took the focus');
    };
    const accepted = await focusOpen([]);
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('[role="status"]').textContent()).toContain(`${accepted}: accepted`);
    const rejected = await focusOpen([accepted]);
    await page.keyboard.press('r');
    await expect.poll(() => page.locator('[role="status"]').textContent()).toContain(`${rejected}: rejected`);

    // The post's new revision carries the accepted tag at auto-apply, with the reviewer as a source, and not the rejected one.
    const latest = await until('the revision with both decisions', async () => {
      const event = await enrichment();
      return event && event.data.revision >= first.data.revision + 2 ? event : undefined;
    });
    const grade = latest.data.tag_grades.find((g) => g.tag === accepted);
    expect(grade).toMatchObject({ tier: 'auto_apply' });
    expect(grade!.sources).toContain('reviewer');
    expect(latest.data.enhanced_metadata.tags.map((t) => t.tag)).toContain(accepted);
    expect(latest.data.tag_grades.map((g) => g.tag)).not.toContain(rejected);

    // Both decisions went over media-ai.reviews: the desk's store is filled from that topic.
    const held = await page.request.get(`${base}/review/api/decisions`);
    const decisions = ((await held.json()) as { decisions: Array<{ post_id: string; tag: string; action: string; reviewer: string }> })
      .decisions;
    expect(decisions.filter((d) => d.post_id === postId).map((d) => [d.tag, d.action, d.reviewer])).toEqual([
      [accepted, 'accept', 'alice'],
      [rejected, 'reject', 'alice'],
    ]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refuses a request without a session, with another tenant’s session, or without the CSRF token', async () => {
    const tag = first.data.tag_grades.find((g) => g.tier === 'human_review' || g.tier === 'suggest')!.tag;
    const anonymous = await fetch(`${base}/review/api/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: decisionBody(tag),
    });
    expect(anonymous.status).toBe(401);
    expect((await fetch(`${base}/review/api/queue`)).status).toBe(401);

    const bob = await signIn(BOB);
    const bobsQueue = (await (await fetch(`${base}/review/api/queue`, { headers: { cookie: bob.cookie } })).json()) as {
      posts: Array<{ post_id: string }>;
    };
    expect(bobsQueue.posts.map((p) => p.post_id)).not.toContain(postId);
    const bobsDecision = await fetch(`${base}/review/api/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: bob.cookie, 'x-csrf-token': bob.csrf },
      body: decisionBody(tag),
    });
    expect(bobsDecision.status).toBe(404);

    // In the browser, signed in: a request the page did not give its CSRF token is refused.
    const page = await context.newPage();
    await page.goto(`${base}/review`);
    const status = await page.evaluate(
      async (body) =>
        (
          await fetch('/review/api/decisions', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            credentials: 'same-origin',
          })
        ).status,
      decisionBody(tag),
    );
    expect(status).toBe(403);
    await page.close();
  });

  it('is usable at phone width', async () => {
    const page = await context.newPage();
    const problems = watch(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await openDesk(page);
    // Nothing wider than the screen: no sideways scrolling of the page itself.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desk-390x844.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
