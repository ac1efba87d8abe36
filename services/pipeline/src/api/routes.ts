/**
 * The embedded service's REST API, beside the shared health and metrics routes:
 * - POST /api/v1/photos/analyze: photo URLs (JSON) or uploaded files (multipart) in, enrichment out;
 * - POST /api/v1/events: a posts.events record, accepted (202) into the stream like a Kafka record;
 * - GET  /api/v1/posts/{post_id}/enrichment: the latest enrichment published for a post; 410 Gone
 *   (MEDIA_AI_POST_GONE) once the post was deleted or resolved: its enrichment is forgotten;
 * - POST /api/v1/match: candidate posts ranked for a post by the reference matcher (match-route.ts).
 * Routes only translate HTTP to pipeline calls; every photo takes the stream's path. A client
 * mistake is refused here with its code (request-checks.ts) rather than becoming a processing.error
 * later; uploads belong to the request that made them (uploaded-photos.ts).
 */
import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
// Brings the OpenAPI fields (summary, description, consumes) into route schemas' types.
import type {} from '@fastify/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MediaAiError, readPostEvent } from '@media-ai/contracts';
import type { EmbeddedPipeline } from '../embedded/embedded-pipeline.js';
import { buildPostCreatedEvent, type AdHocPost } from '../post-events.js';
import { registerMatchRoute } from './match-route.js';
import { checkAcceptedEvent, readAnalyzeFields, readAnalyzeJson } from './request-checks.js';

export interface ApiRoutesOptions {
  /**
   * The pipeline, or its start-up: routes are declared before the server boots, while the stages
   * may still be loading models; a request made meanwhile waits for them.
   */
  pipeline: EmbeddedPipeline | Promise<EmbeddedPipeline>;
  /** MAX_IMAGE_SIZE: the largest upload accepted per file. */
  maxImageBytes: number;
  /** Most photos per post and per request (MEDIA_AI_MAX_PHOTOS_PER_POST; the platform's 10 by default). */
  maxPhotos?: number;
  /** How long analyze waits for the enrichment before answering 504. */
  analyzeTimeoutMs: number;
}

const errorResponse = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
} as const;

export async function registerApiRoutes(app: FastifyInstance, options: ApiRoutesOptions): Promise<void> {
  const { maxImageBytes, analyzeTimeoutMs } = options;
  const started = Promise.resolve(options.pipeline);
  // Only requests observe a failed start; the caller handles it where it started the pipeline.
  started.catch(() => undefined);
  const maxPhotos = options.maxPhotos ?? 10;
  await app.register(multipart, { limits: { fileSize: maxImageBytes, files: maxPhotos } });

  async function analyzeAndWait(post: AdHocPost) {
    const pipeline = await started;
    const { postId, event } = buildPostCreatedEvent(post);
    await pipeline.submit(event);
    try {
      return await pipeline.waitForEnrichment(postId, analyzeTimeoutMs);
    } catch {
      throw new MediaAiError('MEDIA_AI_TIMEOUT', `The enrichment of post ${postId} was not ready within ${analyzeTimeoutMs} ms`, {
        details: { post_id: postId },
      });
    }
  }

  /**
   * The multipart form of analyze: every file part is an uploaded photo, held for this request's
   * post only; the text parts are the post's fields. A body that is not valid multipart is the
   * client's mistake (400), as is one with no file or too many.
   */
  async function analyzeUploads(request: FastifyRequest) {
    const pipeline = await started;
    const postId = randomUUID();
    const photoUrls: string[] = [];
    const fields: Record<string, string> = {};
    try {
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            const bytes = await part.toBuffer();
            if (part.file.truncated) throw new MediaAiError('MEDIA_AI_PHOTO_TOO_LARGE');
            photoUrls.push(pipeline.uploads.add(postId, bytes, part.mimetype));
          } else if (typeof part.value === 'string') {
            fields[part.fieldname] = part.value;
          }
        }
      } catch (error) {
        throw multipartFailure(error);
      }
      if (photoUrls.length === 0) throw new MediaAiError('MEDIA_AI_BAD_REQUEST', 'The multipart body holds no file');
      return await analyzeAndWait({ postId, photoUrls, ...readAnalyzeFields(fields) });
    } finally {
      // Whatever the fetcher did not read (a refused request, a timeout) is of no use to anyone else.
      pipeline.uploads.release(postId);
    }
  }

  /** The multipart plugin's and busboy's failures in the catalogue's terms; every one is the body's fault. */
  function multipartFailure(error: unknown): MediaAiError {
    if (error instanceof MediaAiError) return error;
    // The plugin stops a file at MAX_IMAGE_SIZE, and the request at maxPhotos files, with its own errors.
    const { RequestFileTooLargeError, FilesLimitError } = app.multipartErrors;
    if (error instanceof RequestFileTooLargeError) {
      return new MediaAiError('MEDIA_AI_PHOTO_TOO_LARGE', `A photo exceeds MAX_IMAGE_SIZE (${maxImageBytes} bytes)`);
    }
    if (error instanceof FilesLimitError) {
      return new MediaAiError('MEDIA_AI_TOO_MANY_PHOTOS', `A post has at most ${maxPhotos} photos`);
    }
    // No boundary, a body cut off mid-part, a malformed part header: busboy's wording stays in the log.
    return new MediaAiError('MEDIA_AI_BAD_REQUEST', 'The multipart body is malformed or cut off', { cause: error });
  }

  app.post(
    '/api/v1/photos/analyze',
    {
      schema: {
        summary: 'Analyze photos and answer with their post.enhanced (or processing.error) event',
        description:
          'JSON `{ photo_urls, title?, description?, post_type? }` (gs://, https://, file:// where allowed) or ' +
          'multipart/form-data with image files and the same text fields. At most MEDIA_AI_MAX_PHOTOS_PER_POST photos.',
        consumes: ['application/json', 'multipart/form-data'],
        // No `body` schema: a multipart body is only read in the handler, and Fastify's validator
        // would coerce a one-element array into a title; request-checks.ts reads both forms strictly.
        response: { 400: errorResponse, 403: errorResponse, 413: errorResponse, 504: errorResponse },
      },
    },
    async (request) => {
      if (request.isMultipart()) return analyzeUploads(request);
      const { photoUrls, ...fields } = readAnalyzeJson(request.body, maxPhotos);
      return analyzeAndWait({ photoUrls, ...fields });
    },
  );

  app.post(
    '/api/v1/events',
    {
      schema: {
        summary: 'Accept a posts.events record into the stream',
        body: { type: 'object' },
        response: {
          202: { type: 'object', properties: { post_id: { type: 'string' }, event_type: { type: 'string' }, status: { type: 'string' } } },
          400: errorResponse,
          403: errorResponse,
          422: errorResponse,
        },
      },
    },
    async (request, reply) => {
      // Read here too so a caller learns at once that an event is unreadable, of a type media-ai
      // does not handle or over the photo cap (the stream would only skip or dead-letter it).
      const event = readPostEvent(request.body);
      checkAcceptedEvent(event, maxPhotos);
      await (await started).submit(request.body);
      return reply.code(202).send({ post_id: event.postId, event_type: event.eventType, status: 'accepted' });
    },
  );

  app.get<{ Params: { post_id: string } }>(
    '/api/v1/posts/:post_id/enrichment',
    {
      schema: {
        summary: 'The latest enrichment published for a post (410 once the post was deleted or resolved)',
        params: { type: 'object', properties: { post_id: { type: 'string', minLength: 1 } }, required: ['post_id'] },
        response: { 404: errorResponse, 410: errorResponse },
      },
    },
    async (request) => {
      const pipeline = await started;
      const gone = pipeline.tombstoneOf(request.params.post_id);
      if (gone) {
        const what = gone.event_type === 'post.deleted' ? 'deleted' : 'resolved';
        throw new MediaAiError('MEDIA_AI_POST_GONE', `Post ${gone.post_id} was ${what}: its enrichment is forgotten`, {
          details: { post_id: gone.post_id, event_type: gone.event_type },
        });
      }
      const event = pipeline.enrichmentOf(request.params.post_id);
      if (!event) throw new MediaAiError('MEDIA_AI_POST_NOT_FOUND', `No enrichment for post ${request.params.post_id} yet`);
      return event;
    },
  );

  registerMatchRoute(app, started);
}
