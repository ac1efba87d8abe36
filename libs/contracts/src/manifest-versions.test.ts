import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadAvroSchemas } from './avro-schemas.js';
import { createCodecs } from './codecs.js';
import { currentManifest, type AnyVersionManifest } from './manifest-versions.js';
import { readPostEvent } from './post-event.js';
import type { PostManifest } from './records.js';
import { InProcessSchemaRegistry } from './schema-registry.js';
import { manifest as current } from './test-support/sample-records.js';
import { TOPICS } from './topics.js';

const EXAMPLES = new URL('../../../../shared/contracts/examples/', import.meta.url);
const postCreated = JSON.parse(readFileSync(new URL('post.created.json', EXAMPLES), 'utf8')) as { payload: Record<string, unknown> };

/** The manifest a v2 fetcher wrote for the platform's post.created example: the post, owner and organization only as JSON. */
function writtenByV2(): AnyVersionManifest {
  const { post_details: _d, post_owner: _o, post_organization: _g, post_identifiers: _i, ...v2 } = current;
  return {
    ...v2,
    original_post_json: JSON.stringify(postCreated.payload['post']),
    post_owner_json: JSON.stringify(postCreated.payload['user']),
    organization_json: JSON.stringify(postCreated.payload['organization']),
  };
}

describe('currentManifest', () => {
  it('reads a manifest written before v3 from its JSON copies, as the fetcher reads the event', () => {
    const read = readPostEvent(postCreated);
    const upgraded = currentManifest(writtenByV2());
    expect(upgraded.post_details).toEqual(read.details);
    expect(upgraded.post_owner).toEqual(read.owner);
    expect(upgraded.post_organization).toEqual(read.organization);
    expect(upgraded.post_details.photo_ids).toEqual(['1e8d5b3a-7c24-4f6e-9a01-3b5c8d2e7f49']);
  });

  it('leaves a current manifest as it is', () => {
    expect(currentManifest(current)).toBe(current);
  });

  it('reads unreadable or absent copies as absent, never failing', () => {
    const upgraded = currentManifest({
      ...writtenByV2(),
      original_post_json: '{not json',
      post_owner_json: '[1]',
      organization_json: null,
    });
    expect(upgraded).toMatchObject({ post_owner: null, post_organization: null });
    expect(upgraded.post_details).toMatchObject({ user_id: null, location: null, photos: [], photo_ids: null });
  });
});

describe('a media-ai.posts record written with v2, read by a v4 process', () => {
  it('decodes with reader-schema defaults and arrives in its current form', async () => {
    const files = (await loadAvroSchemas()).filter((f) => f.topic === TOPICS.posts);
    const registry = new InProcessSchemaRegistry();
    const idOf = async (version: number) => registry.register(files[0]!.subject, files.find((f) => f.version === version)!.schema);
    const opts = { registry, enrichmentTopic: 'media-ai.enrichment', deadLetterTopic: 'media-ai.dead-letter' };
    const v2 = createCodecs({ ...opts, schemaIds: { [TOPICS.posts]: await idOf(2) } }).forTopic(TOPICS.posts);
    const v4 = createCodecs({ ...opts, schemaIds: { [TOPICS.posts]: await idOf(4) } }).forTopic(TOPICS.posts);

    const read = (await v4.decode(await v2.encode(writtenByV2()))) as PostManifest;
    // Reader-schema default: a manifest written before v4 names no identifiers of the post's text.
    expect(read).toEqual({ ...currentManifest(writtenByV2()), post_identifiers: [] });
    expect(read.post_details.location).toEqual({ latitude: 40.7291, longitude: -73.9965, address: null });

    // A v4 record is read as written.
    expect(await v4.decode(await v4.encode(current))).toEqual(current);
  });
});
