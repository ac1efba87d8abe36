import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MediaAiError } from './errors.js';
import { RELEVANT_EVENT_TYPES, isRelevantEventType, parseTimestamp, peekEventType, readPostEvent, type PostEvent } from './post-event.js';

const EXAMPLES = new URL('../../../../shared/contracts/examples/', import.meta.url);
const example = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, EXAMPLES), 'utf8')) as Record<string, unknown>;

const POST_ID = '3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36';
const USER_ID = '9b2e4c71-0d3a-4f8e-b6c5-2a1f7e9d8c04';
const ORG_ID = 'c47a1e2b-6f90-4d3c-8e15-b0a29d7f6e83';
const BUCKET = `https://storage.googleapis.com/findly-posts-prod/${ORG_ID}/${POST_ID}/original`;
const PHOTO_1 = { id: '1e8d5b3a-7c24-4f6e-9a01-3b5c8d2e7f49', url: `${BUCKET}/20250930142955_a1b2c3d4.jpg`, order: 1 };
const PHOTO_2 = { id: '6a0f2d9c-3e81-4b57-a4c6-e19b72d05f38', url: `${BUCKET}/20250930144125_e5f6a7b8.png`, order: 2 };
const TITLE = 'Lost black iPhone 15 Pro';
const TITLE_2 = 'Lost black iPhone 15 Pro (blue case)';
const DESCRIPTION = 'Black iPhone 15 Pro in a blue silicone case, lost near the library entrance';
const DESCRIPTION_2 = 'Black iPhone 15 Pro in a blue silicone case with a cracked corner, lost near the library entrance';

/** How the Go producer really serialises value-object ids (the examples smooth this over). */
function asGoWire(event: Record<string, unknown>): Record<string, unknown> {
  const wire = structuredClone(event);
  wire['post_id'] = {};
  wire['user_id'] = {};
  if ('tenant_id' in wire) wire['tenant_id'] = {};
  const payload = wire['payload'] as { user?: Record<string, unknown> };
  if (payload.user) payload.user['user_id'] = {};
  return wire;
}

function badEventReason(raw: unknown): string {
  try {
    readPostEvent(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(MediaAiError);
    expect((error as MediaAiError).code).toBe('MEDIA_AI_BAD_EVENT');
    return (error as MediaAiError).message;
  }
  throw new Error('expected MEDIA_AI_BAD_EVENT');
}

describe('readPostEvent on the platform examples', () => {
  it('covers every posts.events example file (a new example must get a test here)', () => {
    const inputs = readdirSync(EXAMPLES)
      .filter((n) => n.endsWith('.json') && !n.startsWith('post.enhanced'))
      .sort();
    expect(inputs).toEqual([
      'post.created.contract-data-envelope.json',
      'post.created.json',
      'post.deleted.json',
      'post.photo.added.json',
      'post.photo.removed.json',
      'post.resolved.json',
      'post.updated.json',
    ]);
    for (const name of inputs) expect(isRelevantEventType(readPostEvent(example(name)).eventType)).toBe(true);
  });

  it('post.created, fn-posts wire form (payload, event_version, nanosecond timestamp)', () => {
    const event = readPostEvent(example('post.created.json'));
    expect(event).toMatchObject<Partial<PostEvent>>({
      eventId: '0b7c3e52-9d14-4a6f-8e21-7f5a9c3d1b60',
      eventType: 'post.created',
      eventVersion: 1,
      timestamp: Date.UTC(2025, 8, 30, 14, 30, 0, 412),
      correlationId: '5d7e9f21-4b3c-4a8d-9e6f-0c1b2a3d4e5f',
      postId: POST_ID,
      userId: USER_ID,
      organizationId: ORG_ID,
      post: { id: POST_ID, title: TITLE, description: DESCRIPTION, type: 'lost', status: 'active', photos: [PHOTO_1] },
      photo: null,
      changes: null,
      aiPolicy: { auto_enhance: true, quality_threshold: 0.8 },
      aiProcessingRequested: true,
      warnings: [],
    });
    expect(event.details).toMatchObject({ user_id: USER_ID, organization_id: ORG_ID, status: 'active', radius_meters: 1000 });
    expect(event.details.location).toEqual({ latitude: 40.7291, longitude: -73.9965, address: null });
    // The photo as the post lists it, quirks kept (mime "jpeg", width 0): the contract's rules come later.
    expect(event.details.photos).toEqual([expect.objectContaining({ id: PHOTO_1.id, url: PHOTO_1.url, mime_type: 'jpeg', width: 0 })]);
    expect(event.details.photo_ids).toEqual([PHOTO_1.id]);
    expect(event.owner).toMatchObject({ user_id: USER_ID, display_name: 'User 9b2e4c71' });
    expect(event.owner?.preferences).toMatchObject({ timezone: 'UTC', notification_channels: ['email'], channel_preferences: null });
    expect(event.organization).toMatchObject({ organization_id: ORG_ID, name: 'Mock Organization', status: 'active' });
    expect(event.organization?.settings?.ai_enhancement_policy).toMatchObject({ auto_enhance: true, quality_threshold: 0.8 });
    expect(event.thirdPartyAiAllowed).toBe(true);
  });

  it('post.created as the Go producer really sends it: top-level ids and user.user_id are {}', () => {
    const event = readPostEvent(asGoWire(example('post.created.json')));
    expect(event.postId).toBe(POST_ID);
    expect(event.userId).toBe(USER_ID);
    expect(event.organizationId).toBe(ORG_ID);
    // The republished owner carries the real id, not the {} that arrived.
    expect(event.owner?.user_id).toBe(USER_ID);
  });

  it('post.created, fn-contract form (data, integer version, organization null, tenant_id string)', () => {
    const event = readPostEvent(example('post.created.contract-data-envelope.json'));
    expect(event).toMatchObject<Partial<PostEvent>>({
      eventId: '0b7c3e52-9d14-4a6f-8e21-7f5a9c3d1b60',
      eventType: 'post.created',
      eventVersion: 1,
      timestamp: Date.UTC(2025, 8, 30, 14, 30, 0, 412),
      correlationId: null,
      postId: POST_ID,
      userId: USER_ID,
      organizationId: ORG_ID,
      photo: null,
      aiPolicy: null,
      aiProcessingRequested: true,
      organization: null,
    });
    expect(event.post).toEqual({ id: POST_ID, title: TITLE, description: DESCRIPTION, type: 'lost', status: 'active', photos: [PHOTO_1] });
    expect(event.owner).toMatchObject({ display_name: 'Maria G.', verification_level: 'email_verified' });
    expect(event.owner?.preferences?.channel_preferences).toEqual({ email: true, sms: false, whatsapp: null });
    expect(event.details.location?.address).toBe('Washington Square, New York, NY');
  });

  it('post.photo.added: the added photo, photos sorted by order, ai_processing_trigger', () => {
    const event = readPostEvent(example('post.photo.added.json'));
    expect(event.eventType).toBe('post.photo.added');
    expect(event.eventId).toBe('c8e5a1f3-6b2d-4d70-9f4e-2a7b0c9d3e16');
    expect(event.timestamp).toBe(Date.UTC(2025, 8, 30, 14, 41, 27, 664));
    expect(event.correlationId).toBeNull();
    expect(event.post.photos).toEqual([PHOTO_1, PHOTO_2]);
    expect(event.photo).toEqual(PHOTO_2);
    expect(event.aiProcessingRequested).toBe(true);
    // No organization object on this event: the id still comes from the post, the policy is unknown.
    expect(event.organizationId).toBe(ORG_ID);
    expect(event.aiPolicy).toBeNull();
    expect(event.organization).toBeNull();
    expect(event.owner?.display_name).toBe('User Name');
  });

  it('post.photo.removed: the removed photo is no longer in the post', () => {
    const event = readPostEvent(example('post.photo.removed.json'));
    expect(event.eventType).toBe('post.photo.removed');
    expect(event.eventId).toBe('7b1d4e08-c2f6-4a39-8d57-f0e3a6b9c2d5');
    expect(event.post.photos).toEqual([PHOTO_1]);
    expect(event.photo).toEqual(PHOTO_2);
    expect(event.postId).toBe(POST_ID);
  });

  it('post.updated: changes and the new title', () => {
    const event = readPostEvent(example('post.updated.json'));
    expect(event.eventType).toBe('post.updated');
    expect(event.eventId).toBe('a3d9f0c4-27e1-4b86-9c5d-81e6f2a4b7d3');
    expect(event.timestamp).toBe(Date.UTC(2025, 8, 30, 15, 2, 11, 907));
    expect(event.changes).toEqual({ title: TITLE_2, description: DESCRIPTION_2 });
    expect(event.post.title).toBe(TITLE_2);
    expect(event.post.description).toBe(DESCRIPTION_2);
    expect(event.photo).toBeNull();
  });

  it('post.resolved and post.deleted: status events without photo or changes', () => {
    const resolved = readPostEvent(example('post.resolved.json'));
    expect(resolved).toMatchObject({
      eventType: 'post.resolved',
      eventId: 'e61b8a27-4c0d-4f93-b2a8-97d3c5e0f1a4',
      postId: POST_ID,
      changes: null,
      photo: null,
    });
    expect(resolved.post.status).toBe('resolved');
    expect(resolved.timestamp).toBe(Date.UTC(2025, 9, 2, 9, 15, 42, 550));
    const deleted = readPostEvent(example('post.deleted.json'));
    expect(deleted).toMatchObject({
      eventType: 'post.deleted',
      eventId: '4f2c7d90-b8e3-4a15-86d7-3e0a9b5c1f28',
      postId: POST_ID,
      userId: USER_ID,
    });
    expect(deleted.post.photos).toEqual([PHOTO_1]);
    expect(deleted.details.status).toBe('resolved');
  });

  it('returns copies: changing the result never changes the input', () => {
    const raw = example('post.created.json');
    const event = readPostEvent(raw);
    event.details.photos.length = 0;
    event.owner!.display_name = 'x';
    expect(((raw['payload'] as Record<string, Record<string, unknown>>)['post']?.['photos'] as unknown[]).length).toBe(1);
    expect(readPostEvent(raw).owner?.display_name).toBe('User 9b2e4c71');
  });

  it('reads the post, owner and organization faithfully: a wrong type reads as null, nothing else changes', () => {
    const raw = example('post.created.json');
    const payload = raw['payload'] as Record<string, Record<string, unknown>>;
    payload['post'] = {
      ...payload['post'],
      status: ' active ',
      radius_meters: '1000',
      location: { latitude: '40.7', longitude: -73.9, address: 12 },
      photos: [{ photo_id: 'ph-1', url: 'https://x.test/1.jpg', order: 2 }, 'not a photo'],
    };
    payload['user'] = { ...payload['user'], preferences: { channel_preferences: { email: { enabled: 'yes' }, sms: { enabled: false } } } };
    const event = readPostEvent(raw);
    expect(event.details).toMatchObject({
      status: ' active ',
      radius_meters: null,
      location: { latitude: null, longitude: -73.9, address: null },
    });
    // Entries that are not objects are not photos, and a list with one has no ids to tell removals by.
    expect(event.details.photos).toEqual([expect.objectContaining({ id: 'ph-1', url: 'https://x.test/1.jpg', order: 2 })]);
    expect(event.details.photo_ids).toBeNull();
    expect(event.owner?.preferences?.channel_preferences).toEqual({ email: null, sms: false, whatsapp: null });
  });

  it.each([
    ['ai_processing false on the organization', { ai_processing: false }, false],
    ['third_party_ai "off" in the policy', { ai_enhancement_policy: { third_party_ai: 'off' } }, false],
    ['third_party_ai "true" in the policy', { ai_enhancement_policy: { third_party_ai: 'true' } }, true],
    ['no such setting', {}, true],
  ])('third-party AI: %s', (_name, settings, allowed) => {
    const raw = example('post.created.json');
    const payload = raw['payload'] as Record<string, Record<string, unknown>>;
    payload['organization'] = { ...payload['organization'], settings };
    expect(readPostEvent(raw).thirdPartyAiAllowed).toBe(allowed);
  });
});

describe('readPostEvent on the documented variants', () => {
  // fn-docs media-ai/api-documentation.md, quoted in reference/platform-contracts.md §1.3 (D).
  const docsEvent = {
    event_id: 'evt-123e4567-e89b-12d3-a456-426614174000',
    event_type: 'post.created',
    timestamp: '2024-01-15T14:30:00Z',
    version: '1.0',
    data: {
      post_id: 'post-456e7890-e12b-34c5-a678-901234567890',
      user_id: 'user-123a4567-b89c-12d3-e456-789012345678',
      organization_id: 'org-123e4567-e89b-12d3-a456-426614174000',
      title: 'Lost iPhone 15 Pro',
      description: 'Black iPhone with blue MagSafe case',
      post_type: 'lost',
      location: { lat: 40.7831, lng: -73.9665, address: 'Central Park, New York, NY' },
      photos: [
        {
          photo_id: 'photo-789a0123-b45c-67d8-e901-234567890abc',
          url: 'https://storage.googleapis.com/fn-photos/org123/post456/photo789.jpg',
          thumbnail_url: 'https://storage.googleapis.com/fn-photos/org123/post456/thumb_photo789.jpg',
          content_type: 'image/jpeg',
          size_bytes: 2048576,
          display_order: 1,
        },
      ],
      created_at: '2024-01-15T14:30:00Z',
    },
  };

  it('reads the docs form: event_id, version "1.0", flat data.post_id, photo_id/url/display_order', () => {
    const event = readPostEvent(docsEvent);
    expect(event).toMatchObject<Partial<PostEvent>>({
      eventId: 'evt-123e4567-e89b-12d3-a456-426614174000',
      eventType: 'post.created',
      eventVersion: 1,
      timestamp: Date.UTC(2024, 0, 15, 14, 30, 0),
      postId: 'post-456e7890-e12b-34c5-a678-901234567890',
      userId: 'user-123a4567-b89c-12d3-e456-789012345678',
      organizationId: 'org-123e4567-e89b-12d3-a456-426614174000',
      owner: null,
      warnings: [],
    });
    expect(event.post).toEqual({
      id: 'post-456e7890-e12b-34c5-a678-901234567890',
      title: 'Lost iPhone 15 Pro',
      description: 'Black iPhone with blue MagSafe case',
      type: 'lost',
      status: null,
      photos: [
        {
          id: 'photo-789a0123-b45c-67d8-e901-234567890abc',
          url: 'https://storage.googleapis.com/fn-photos/org123/post456/photo789.jpg',
          order: 1,
        },
      ],
    });
    // The docs' lat/lng are not the platform's latitude/longitude: read as unknown, never guessed.
    expect(event.details.location).toEqual({ latitude: null, longitude: null, address: 'Central Park, New York, NY' });
    expect(event.details.photo_ids).toEqual(['photo-789a0123-b45c-67d8-e901-234567890abc']);
  });

  it('reads the architecture-doc form: event_id, event_version "1.0", payload.post with url photos', () => {
    const event = readPostEvent({
      event_id: 'evt-1',
      event_type: 'post.created',
      event_version: '1.0',
      timestamp: '2024-01-15T14:30:00.123456Z',
      correlation_id: 'corr-1',
      aggregate_id: 'post-1',
      payload: { post: { id: 'post-1', title: 'Found keys', item_type: 'keys', photos: [{ id: 'ph-1', url: 'gs://bucket/a.jpg' }] } },
    });
    expect(event).toMatchObject({
      eventId: 'evt-1',
      eventVersion: 1,
      correlationId: 'corr-1',
      postId: 'post-1',
      timestamp: Date.UTC(2024, 0, 15, 14, 30, 0, 123),
    });
    expect(event.post.photos).toEqual([{ id: 'ph-1', url: 'gs://bucket/a.jpg', order: 1 }]);
  });

  it('takes the post id from aggregate_id when the payload has none, but not from a contact-exchange aggregate', () => {
    const base = { id: 'e', event_type: 'post.deleted', post_id: {}, payload: { new_status: 'deleted' } };
    expect(readPostEvent({ ...base, aggregate_id: 'p-9', aggregate_type: 'Post' }).postId).toBe('p-9');
    expect(badEventReason({ ...base, aggregate_id: 'req-1', aggregate_type: 'ContactExchangeRequest' })).toMatch(/no post id/);
    // The contract form's top-level post_id is a real string and is the last resort.
    expect(readPostEvent({ ...base, post_id: 'p-7', aggregate_id: 'req-1', aggregate_type: 'ContactExchangeRequest' }).postId).toBe('p-7');
  });

  it('prefers payload.post.id over aggregate_id and top-level post_id', () => {
    const event = readPostEvent({
      id: 'e',
      event_type: 'post.updated',
      aggregate_id: 'agg',
      post_id: 'top',
      payload: { post: { id: 'inner' } },
    });
    expect(event.postId).toBe('inner');
  });

  it('reads triggers, the flag of post.photo.added, and defaults to processing', () => {
    const base = { id: 'e', event_type: 'post.updated', payload: { post: { id: 'p' } } };
    expect(readPostEvent({ ...base, payload: { ...base.payload, triggers: { ai_processing: false } } }).aiProcessingRequested).toBe(false);
    expect(readPostEvent({ ...base, payload: { ...base.payload, ai_processing_trigger: false } }).aiProcessingRequested).toBe(false);
    expect(readPostEvent({ ...base, payload: { ...base.payload, triggers: { ai_processing: 'nope' } } }).aiProcessingRequested).toBe(true);
    expect(readPostEvent(base).aiProcessingRequested).toBe(true);
  });

  it('reads a tenant policy leniently but never against the tenant', () => {
    const withPolicy = (policy: unknown) =>
      readPostEvent({
        id: 'e',
        event_type: 'post.created',
        payload: { post: { id: 'p' }, organization: { settings: { ai_enhancement_policy: policy } } },
      });
    expect(withPolicy({ auto_enhance: false, quality_threshold: '0.9' }).aiPolicy).toEqual({ auto_enhance: false, quality_threshold: 0.9 });
    // A tenant that opted out stays opted out even when its threshold is garbage.
    const garbage = withPolicy({ auto_enhance: false, quality_threshold: 7 });
    expect(garbage.aiPolicy).toEqual({ auto_enhance: false, quality_threshold: 0 });
    expect(garbage.warnings).toContain('ai_enhancement_policy.quality_threshold unreadable');
    expect(withPolicy('yes').aiPolicy).toBeNull();
    // The user's organization context is the fallback when the event has no organization object.
    const viaUser = readPostEvent({
      id: 'e',
      event_type: 'post.created',
      payload: {
        post: { id: 'p' },
        user: {
          organization_context: {
            organization_id: 'o-1',
            settings: { ai_enhancement_policy: { auto_enhance: true, quality_threshold: 0.75 } },
          },
        },
      },
    });
    expect(viaUser.organizationId).toBe('o-1');
    expect(viaUser.aiPolicy).toEqual({ auto_enhance: true, quality_threshold: 0.75 });
  });

  it('reads a payload that arrives double-encoded as JSON text', () => {
    const raw = example('post.updated.json');
    const event = readPostEvent({ ...raw, payload: JSON.stringify(raw['payload']) });
    expect(event.changes).toEqual({ title: TITLE_2, description: DESCRIPTION_2 });
    expect(readPostEvent(JSON.stringify(raw)).eventId).toBe('a3d9f0c4-27e1-4b86-9c5d-81e6f2a4b7d3');
  });

  it('normalises the event type and peeks it without reading the rest', () => {
    expect(readPostEvent({ id: 'e', event_type: ' Post.Created ', payload: { post: { id: 'p' } } }).eventType).toBe('post.created');
    expect(peekEventType({ event_type: 'contact.exchange.requested' })).toBe('contact.exchange.requested');
    expect(peekEventType({ event_type: {} })).toBeNull();
    expect(peekEventType([])).toBeNull();
    expect(peekEventType('{"event_type":"post.deleted"}')).toBe('post.deleted');
  });
});

describe('readPostEvent on hostile or broken input', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['an array', [{ event_type: 'post.created' }]],
    ['a string that is not JSON', 'post.created'],
    ['undefined', undefined],
  ])('refuses %s', (_label, raw) => {
    expect(badEventReason(raw)).toMatch(/expected a JSON object/);
  });

  it('refuses an event without an event type', () => {
    expect(badEventReason({ id: 'e', payload: { post: { id: 'p' } } })).toMatch(/no event_type/);
    expect(badEventReason({ id: 'e', event_type: '   ', payload: { post: { id: 'p' } } })).toMatch(/no event_type/);
    expect(badEventReason({ id: 'e', event_type: { name: 'post.created' }, payload: { post: { id: 'p' } } })).toMatch(/no event_type/);
  });

  it('refuses an event whose post id exists only as Go {} values', () => {
    expect(badEventReason({ id: 'e', event_type: 'post.created', post_id: {}, payload: { post: { id: {} } } })).toMatch(/no post id/);
    expect(badEventReason({ id: 'e', event_type: 'post.created', payload: [] })).toMatch(/no post id/);
    expect(badEventReason({ id: 'e', event_type: 'post.created', payload: { post: { id: '  ' } } })).toMatch(/no post id/);
  });

  it('keeps readable photos, skips unusable ones with a warning, and derives stable ids for id-less ones', () => {
    const raw = {
      id: 'e',
      event_type: 'post.created',
      payload: {
        post: {
          id: 'p',
          photos: [
            null,
            'https://x/y.jpg',
            { id: 'no-url' },
            { id: 'b', url: 'https://x/b.jpg', order: 2 },
            { url: 'https://x/c.jpg', order: 3 },
            { id: 'a', original_url: 'https://x/a.jpg', url: 'https://x/ignored.jpg', order: '1' },
            { id: 'b', url: 'https://x/b-again.jpg', order: 4 },
          ],
        },
      },
    };
    const first = readPostEvent(raw);
    expect(first.post.photos.map((p) => [p.id.length === 36 ? 'derived' : p.id, p.url, p.order])).toEqual([
      ['a', 'https://x/a.jpg', 1],
      ['b', 'https://x/b.jpg', 2],
      ['derived', 'https://x/c.jpg', 3],
    ]);
    expect(first.post.photos[2]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(readPostEvent(raw).post.photos[2]?.id).toBe(first.post.photos[2]?.id);
    expect(first.warnings).toEqual([
      'post.photos[0]: not an object, skipped',
      'post.photos[1]: not an object, skipped',
      'post.photos[2]: no original_url or url, skipped',
      'post.photos[4]: no photo id, derived one from the URL',
      'post.photos[6]: duplicate photo id, skipped',
    ]);
  });

  it('reads missing or mistyped optional fields as null/defaults, never as garbage', () => {
    const event = readPostEvent({
      event_id: 7,
      event_type: 'post.updated',
      event_version: 'two',
      timestamp: 'yesterday',
      correlation_id: {},
      payload: {
        post: { id: 'p', title: { en: 'x' }, description: '', type: ['lost'], photos: { 0: {} } },
        changes: ['title'],
        user: 'bob',
      },
    });
    expect(event).toMatchObject({
      eventId: '7',
      eventVersion: 1,
      timestamp: null,
      correlationId: null,
      userId: null,
      organizationId: null,
      changes: null,
      owner: null,
      post: { id: 'p', title: null, description: null, type: null, status: null, photos: [] },
    });
    expect(event.warnings).toEqual(['timestamp unreadable', 'post.photos is not a list: ignored']);
  });

  it('derives the same event id from the same content when the producer sent none', () => {
    const raw = { event_type: 'post.deleted', aggregate_id: 'p' };
    const id = readPostEvent(raw).eventId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(readPostEvent({ ...raw }).eventId).toBe(id);
    expect(readPostEvent({ ...raw, aggregate_id: 'q' }).eventId).not.toBe(id);
    expect(readPostEvent(raw).warnings).toContain('no event id: derived one from the event content');
  });

  it('refuses an event nested 10,000 deep without quoting the engine (no "call stack" in the reason)', () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) as unknown;
    const reason = badEventReason({ id: 'e', event_type: 'post.created', payload: { post: { id: 'p', extra: deep } } });
    expect(reason).toMatch(/nested too deeply/);
    expect(reason).not.toMatch(/call stack/i);
  });

  it('is not fooled by __proto__ keys', () => {
    const raw = JSON.parse(
      '{"id":"e","event_type":"post.created","__proto__":{"polluted":1},"payload":{"post":{"id":"p","__proto__":{"title":"evil"}}}}',
    ) as unknown;
    const event = readPostEvent(raw);
    expect(event.post.title).toBeNull();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('event types', () => {
  it('lists exactly the six lifecycle events that change an enrichment', () => {
    expect([...RELEVANT_EVENT_TYPES].sort()).toEqual([
      'post.created',
      'post.deleted',
      'post.photo.added',
      'post.photo.removed',
      'post.resolved',
      'post.updated',
    ]);
    expect(isRelevantEventType('post.photo.added')).toBe(true);
    expect(isRelevantEventType('contact.exchange.requested')).toBe(false);
    expect(isRelevantEventType('post.enhanced')).toBe(false);
    expect(isRelevantEventType(undefined)).toBe(false);
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2025-09-30T14:30:00.412873651Z', Date.UTC(2025, 8, 30, 14, 30, 0, 412)],
    ['2025-09-30T14:30:00.412873Z', Date.UTC(2025, 8, 30, 14, 30, 0, 412)],
    ['2025-09-30T14:30:00Z', Date.UTC(2025, 8, 30, 14, 30, 0)],
    ['2025-09-30T14:30:00.5Z', Date.UTC(2025, 8, 30, 14, 30, 0, 500)],
    ['2025-09-30T16:30:00.412873651+02:00', Date.UTC(2025, 8, 30, 14, 30, 0, 412)],
    ['2025-09-30T09:30:00-0500', Date.UTC(2025, 8, 30, 14, 30, 0)],
    ['2025-09-30 14:30:00', Date.UTC(2025, 8, 30, 14, 30, 0)],
    [1_759_242_600, Date.UTC(2025, 8, 30, 14, 30, 0)],
    [1_759_242_600_412, Date.UTC(2025, 8, 30, 14, 30, 0, 412)],
    [1_759_242_600_412_873_651, Date.UTC(2025, 8, 30, 14, 30, 0, 413)],
  ])('%s', (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });

  it.each([['yesterday'], ['2025-13-45T99:99:99Z'], [''], [null], [{}], [-5], [Number.NaN]])('rejects %s', (input) => {
    expect(parseTimestamp(input)).toBeNull();
  });
});
