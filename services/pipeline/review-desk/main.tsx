/**
 * The review desk page (Preact): signs a reviewer in, shows their tenant's queue newest first, each
 * photo with what the detector boxed and what OCR read (redacted), each tag with its confidence and
 * evidence, and sends accept / reject / correct decisions. Keyboard first: J/K next and previous post,
 * ↑/↓ between tags, A accept, R reject, C correct the focused tag.
 *
 * It must never hold the reviewer token after sign-in (the session is an HttpOnly cookie), never put
 * markup together from strings (Preact escapes every text), and never load anything from another
 * origin (the page's Content-Security-Policy forbids it anyway).
 */
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ReviewEntry, ReviewPhoto } from '../src/review/review-queue.js';
import './desk.css';

interface Session {
  reviewer: string;
  tenant: string;
  csrf_token: string;
}
type Tag = ReviewEntry['tags'][number];
type Action = 'accept' | 'reject' | 'correct';

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function api<T>(path: string, init: RequestInit = {}, csrf?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body) headers['content-type'] = 'application/json';
  if (csrf) headers['x-csrf-token'] = csrf;
  const response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!response.ok) throw new ApiError(response.status, body.error?.code ?? 'UNKNOWN', body.error?.message ?? response.statusText);
  return body as T;
}

const percent = (value: number) => `${Math.round(value * 100)}%`;
const TIER_NAMES: Record<string, string> = { auto_apply: 'auto-apply', suggest: 'suggest', human_review: 'human review', low: 'low' };

function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const session = await api<Session>('/review/api/session', { method: 'POST', body: JSON.stringify({ token }) });
      setToken('');
      onSignedIn(session);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Sign-in failed');
    }
  };
  return (
    <main class="sign-in">
      <h1>Review desk</h1>
      <form onSubmit={submit}>
        <label for="token">Reviewer token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Sign in</button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

function Photo({ postId, photo }: { postId: string; photo: ReviewPhoto }) {
  return (
    <figure class="photo">
      <div class="frame">
        <img
          src={`/review/api/posts/${encodeURIComponent(postId)}/photos/${encodeURIComponent(photo.photo_id)}`}
          width={photo.width}
          height={photo.height}
          alt={`Photo of the post (faces blurred) with ${photo.objects.length} detected objects and ${photo.lines.length} text lines outlined`}
        />
        {photo.objects.map((o, i) => (
          <div
            key={`o${i}`}
            class="box object"
            style={{ left: percent(o.box.x), top: percent(o.box.y), width: percent(o.box.width), height: percent(o.box.height) }}
            aria-hidden="true"
          >
            <span class="label">
              {o.label} {percent(o.confidence)}
            </span>
          </div>
        ))}
        {photo.lines.map((l, i) =>
          l.box ? (
            <div
              key={`l${i}`}
              class="box ocr"
              style={{ left: percent(l.box.x), top: percent(l.box.y), width: percent(l.box.width), height: percent(l.box.height) }}
              aria-hidden="true"
            />
          ) : null,
        )}
      </div>
      {photo.lines.length > 0 && (
        <figcaption>
          <span class="caption-title">Text read (redacted)</span>
          <ul class="ocr-lines">
            {photo.lines.map((l, i) => (
              <li key={i}>{l.text}</li>
            ))}
          </ul>
        </figcaption>
      )}
    </figure>
  );
}

interface TagRowProps {
  tag: Tag;
  index: number;
  decided: Action | undefined;
  items: string[];
  onDecide: (tag: Tag, action: Action, correctedTo?: string) => void;
}

function TagRow({ tag, index, decided, items, onDecide }: TagRowProps) {
  const [correction, setCorrection] = useState('');
  const id = `tag-${index}`;
  const open = tag.reviewable && !decided;
  return (
    <li
      class={`tag tier-${tag.tier}${decided ? ` decided-${decided}` : ''}`}
      tabIndex={0}
      data-tag={tag.tag}
      aria-labelledby={`${id}-name`}
      aria-describedby={`${id}-facts`}
    >
      <div class="tag-head">
        <span class="tag-name" id={`${id}-name`}>
          {tag.tag}
        </span>
        <span class="tier">{TIER_NAMES[tag.tier] ?? tag.tier}</span>
        <span class="confidence">{percent(tag.confidence)}</span>
        {decided && <span class="decision">{decided === 'accept' ? 'accepted' : decided === 'reject' ? 'rejected' : 'corrected'}</span>}
      </div>
      <ul class="evidence" id={`${id}-facts`} aria-label={`Evidence for ${tag.tag}`}>
        {tag.evidence.map((e, i) => (
          <li key={i}>
            {e.source}
            {e.model ? ` (${e.model})` : ''}
            {e.label ? `: ${e.label}` : ''} {percent(e.confidence)}
          </li>
        ))}
      </ul>
      {open && (
        <div class="actions">
          <button type="button" class="accept" onClick={() => onDecide(tag, 'accept')} aria-keyshortcuts="A">
            Accept <kbd>A</kbd>
          </button>
          <button type="button" class="reject" onClick={() => onDecide(tag, 'reject')} aria-keyshortcuts="R">
            Reject <kbd>R</kbd>
          </button>
          <label class="correct-label" for={`${id}-correct`}>
            Correct to
          </label>
          <select id={`${id}-correct`} value={correction} onChange={(e) => setCorrection((e.target as HTMLSelectElement).value)}>
            <option value="">choose an item</option>
            {items
              .filter((item) => item !== tag.tag)
              .map((item) => (
                <option key={item} value={item}>
                  {item}
                </option>
              ))}
          </select>
          <button type="button" class="correct" disabled={!correction} onClick={() => onDecide(tag, 'correct', correction)}>
            Correct
          </button>
        </div>
      )}
    </li>
  );
}

function Desk({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const [posts, setPosts] = useState<ReviewEntry[] | null>(null);
  const [items, setItems] = useState<string[]>([]);
  const [tier, setTier] = useState('');
  const [item, setItem] = useState('');
  const [current, setCurrent] = useState(0);
  const [decided, setDecided] = useState<Record<string, Action>>({});
  const [status, setStatus] = useState('');
  const tagList = useRef<HTMLUListElement>(null);

  const load = useCallback(async () => {
    const query = new URLSearchParams();
    if (tier) query.set('tier', tier);
    if (item) query.set('item', item);
    try {
      const answer = await api<{ posts: ReviewEntry[] }>(`/review/api/queue?${query.toString()}`);
      setPosts(answer.posts);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) onSignedOut();
      else setStatus(e instanceof Error ? e.message : 'The queue could not be loaded');
    }
  }, [tier, item, onSignedOut]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 5_000);
    return () => clearInterval(timer);
  }, [load]);
  useEffect(() => {
    void api<{ items: string[] }>('/review/api/items').then(
      (a) => setItems(a.items),
      () => undefined,
    );
  }, []);

  const post = posts && posts.length > 0 ? posts[Math.min(current, posts.length - 1)] : undefined;
  const tags = useMemo(() => post?.tags ?? [], [post]);

  const focusTag = useCallback((index: number) => {
    const rows = tagList.current?.querySelectorAll<HTMLElement>('li.tag');
    if (!rows || rows.length === 0) return;
    const clamped = Math.max(0, Math.min(index, rows.length - 1));
    rows[clamped]?.focus();
  }, []);

  const decide = useCallback(
    async (tag: Tag, action: Action, correctedTo?: string) => {
      if (!post) return;
      const key = `${post.post_id}:${tag.tag}`;
      if (decided[key] || !tag.reviewable) return;
      try {
        await api(
          '/review/api/decisions',
          {
            method: 'POST',
            body: JSON.stringify({
              post_id: post.post_id,
              revision: post.revision,
              tag: tag.tag,
              action,
              corrected_to: correctedTo ?? null,
            }),
          },
          session.csrf_token,
        );
        setDecided((d) => ({ ...d, [key]: action }));
        setStatus(`${tag.tag}: ${action === 'accept' ? 'accepted' : action === 'reject' ? 'rejected' : `corrected to ${correctedTo}`}`);
        setTimeout(() => void load(), 700);
      } catch (e) {
        setStatus(e instanceof Error ? `${tag.tag}: ${e.message}` : 'The decision was not sent');
      }
    },
    [post, decided, session.csrf_token, load],
  );

  const move = useCallback(
    (step: number) => {
      if (!posts || posts.length === 0) return;
      setCurrent((c) => Math.max(0, Math.min(c + step, posts.length - 1)));
      setTimeout(() => focusTag(0), 0);
    },
    [posts, focusTag],
  );

  // The key handler is registered once and reads the latest render's values: an effect re-registered
  // after each render would lag a fast typist by a frame and act on the tags of the render before.
  const latest = useRef({ tags, move, focusTag, decide });
  latest.current = { tags, move, focusTag, decide };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { tags, move, focusTag, decide } = latest.current;
      const target = event.target as HTMLElement;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (target.closest('input, select, textarea')) return;
      const key = event.key.toLowerCase();
      // The tag that has the focus now, by name: a new revision reorders the tags (an accepted one moves up).
      const name = target.closest('li.tag')?.getAttribute('data-tag');
      const index = name ? tags.findIndex((t) => t.tag === name) : -1;
      const tag = index >= 0 ? tags[index] : undefined;
      if (key === 'j') move(1);
      else if (key === 'k') move(-1);
      else if (event.key === 'ArrowDown') focusTag(tag ? index + 1 : 0);
      else if (event.key === 'ArrowUp') focusTag(tag ? index - 1 : 0);
      else if (key === 'a' && tag) void decide(tag, 'accept');
      else if (key === 'r' && tag) void decide(tag, 'reject');
      else if (key === 'c' && tag) document.getElementById(`tag-${index}-correct`)?.focus();
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const signOut = async () => {
    await api('/review/api/session', { method: 'DELETE' }, session.csrf_token).catch(() => undefined);
    onSignedOut();
  };

  return (
    <div class="desk">
      <header class="bar">
        <h1>Review desk</h1>
        <span class="who">
          {session.reviewer} · tenant {session.tenant}
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <form class="filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
        <label>
          Tenant
          <input value={session.tenant} readOnly />
        </label>
        <label>
          Tier
          <select value={tier} onChange={(e) => setTier((e.target as HTMLSelectElement).value)}>
            <option value="">any</option>
            <option value="suggest">suggest</option>
            <option value="human_review">human review</option>
          </select>
        </label>
        <label>
          Item
          <select value={item} onChange={(e) => setItem((e.target as HTMLSelectElement).value)}>
            <option value="">any</option>
            {items.map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
      </form>
      <div class="layout">
        <nav class="queue" aria-label="Posts waiting for review">
          <h2>Queue ({posts?.length ?? '…'})</h2>
          <ol>
            {(posts ?? []).map((p, i) => (
              <li key={p.post_id}>
                <button type="button" aria-current={post?.post_id === p.post_id ? 'true' : undefined} onClick={() => setCurrent(i)}>
                  <span class="post-title">{p.title || p.post_id}</span>
                  <span class="waiting">{p.tags.filter((t) => t.reviewable).length} waiting</span>
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <main class="post">
          {!post ? (
            <p class="empty">{posts === null ? 'Loading the queue…' : 'Nothing waits for review.'}</p>
          ) : (
            <article aria-labelledby="post-title" data-post-id={post.post_id} data-revision={post.revision}>
              <h2 id="post-title">{post.title || post.post_id}</h2>
              <p class="meta">
                Post {post.post_id} · revision {post.revision} · published {new Date(post.published_at).toLocaleString()}
              </p>
              <div class="workbench">
                <div class="photos">
                  {post.photos.map((photo) => (
                    <Photo key={photo.photo_id} postId={post.post_id} photo={photo} />
                  ))}
                </div>
                <section class="decisions" aria-labelledby="tags-title">
                  <h3 id="tags-title">Tags</h3>
                  <ul class="tags" ref={tagList}>
                    {tags.map((tag, i) => (
                      <TagRow
                        key={`${post.post_id}:${tag.tag}`}
                        tag={tag}
                        index={i}
                        decided={decided[`${post.post_id}:${tag.tag}`]}
                        items={items}
                        onDecide={(t, a, c) => void decide(t, a, c)}
                      />
                    ))}
                  </ul>
                </section>
              </div>
            </article>
          )}
        </main>
      </div>
      <p class="status" role="status" aria-live="polite">
        {status}
      </p>
      <footer class="keys">
        Keys: <kbd>J</kbd>/<kbd>K</kbd> next/previous post · <kbd>↑</kbd>/<kbd>↓</kbd> between tags · <kbd>A</kbd> accept · <kbd>R</kbd>{' '}
        reject · <kbd>C</kbd> correct
      </footer>
    </div>
  );
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    api<Session>('/review/api/session').then(setSession, () => setSession(null));
  }, []);
  const signedOut = useCallback(() => setSession(null), []);
  if (session === undefined) return <p class="empty">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={setSession} />;
  return <Desk session={session} onSignedOut={signedOut} />;
}

render(<App />, document.getElementById('desk')!);
