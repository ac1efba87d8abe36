/**
 * Who is at the review desk: a reviewer signs in with their token (MEDIA_AI_REVIEW_TOKENS) and gets a
 * session, named by a random id in an HttpOnly, SameSite=Strict cookie (Secure in production), with
 * its own CSRF token that every decision must send back in a header. Sessions live in this process,
 * bounded in number and in time.
 *
 * Must never store, log or echo a presented token, never compare one in a time that depends on where
 * it differs, and never let a session outlive its TTL.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ReviewToken } from '@media-ai/config';

export interface ReviewSession {
  id: string;
  reviewer: string;
  tenant: string;
  /** Sent with every decision (x-csrf-token): a page of another site cannot read it. */
  csrf: string;
  expiresAt: number;
}

export interface ReviewSessionsOptions {
  tokens: readonly ReviewToken[];
  /** How long a session lasts after sign-in (default 8 hours: a shift). */
  ttlMs?: number;
  /** Sessions held at most (default 1,000); past it the oldest goes. */
  maxSessions?: number;
  clock?: () => number;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Equal in a time that does not depend on where two strings differ. */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export class ReviewSessions {
  private readonly known: Array<{ tenant: string; name: string; digest: Buffer }>;
  /** Oldest first (a Map keeps insertion order). */
  private readonly sessions = new Map<string, ReviewSession>();
  private readonly ttlMs: number;
  private readonly maxSessions: number;
  private readonly clock: () => number;

  constructor(options: ReviewSessionsOptions) {
    this.known = options.tokens.map((t) => ({ tenant: t.tenant, name: t.name, digest: digest(t.token) }));
    this.ttlMs = options.ttlMs ?? 8 * 3_600_000;
    this.maxSessions = options.maxSessions ?? 1_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Whether the desk is on: it is off while no reviewer token is configured. */
  get enabled(): boolean {
    return this.known.length > 0;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** A new session for the reviewer whose token this is, or null. Every known token is compared. */
  signIn(presented: string): ReviewSession | null {
    const candidate = digest(presented);
    let match: { tenant: string; name: string } | null = null;
    for (const entry of this.known) if (timingSafeEqual(candidate, entry.digest)) match = entry;
    if (!match) return null;
    const session: ReviewSession = {
      id: randomBytes(32).toString('base64url'),
      reviewer: match.name,
      tenant: match.tenant,
      csrf: randomBytes(32).toString('base64url'),
      expiresAt: this.clock() + this.ttlMs,
    };
    this.sessions.set(session.id, session);
    while (this.sessions.size > this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    return session;
  }

  /** The live session of this id, or null (unknown or expired: an expired one is dropped). */
  find(id: string | undefined): ReviewSession | null {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= this.clock()) {
      this.sessions.delete(id);
      return null;
    }
    return session;
  }

  signOut(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}
