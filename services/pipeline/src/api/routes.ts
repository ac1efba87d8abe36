/**
 * The embedded service's REST API, beside the shared health and metrics routes:
 * - POST /api/v1/photos/analyze: photo URLs (JSON) or uploaded files (multipart) in, enrichment out;
 * - POST /api/v1/events: a posts.events record, accepted (202) into the stream like a Kafka record;
 * - GET  /api/v1/posts/{post_id}/enrichment: the latest enrichment published for a post; 410 Gone
 *   (MEDIA_AI_POST_GONE) once the post was deleted or resolved: its enrichment is forgotten.
 * Routes only translate HTTP to pipeline calls; every photo takes the stream's path.
 */
import multipart from '@fastify/multipart';
// Brings the OpenAPI fields (summary, description, consumes) into route schemas' types.
import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { MediaAiError, readPostEvent } from '@media-ai/contracts';
import type { EmbeddedPipeline } from '../embedded/embedded-pipeline.js';
import { buildPostCreatedEvent } from '../post-events.js';

export interface ApiRoutesOptions {
  /**
   * The pipeline, or its start-up: routes are declared before the server boots, while the stages
   * may still be loading models; a request made meanwhile waits for them.
   */
  pipeline: EmbeddedPipeline | Promise<EmbeddedPipeline>;
  /** MAX_IMAGE_SIZE: the largest upload accepted per file. */
  maxImageBytes: number;
  /** Most photos per request (a post has at most 10). */
  maxPhotos?: number;
  /** How long analyze waits for the enrichment before answering 504. */
  analyzeTimeoutMs: number;
}

interface AnalyzeBody {
  photo_urls: string[];
  title?: string;
  description?: string;
  post_type?: 'lost' | 'found';
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

  async function analyzeAndWait(post: Parameters<typeof buildPostCreatedEvent>[0]) {
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

  app.post<{ Body: AnalyzeBody }>(
    '/api/v1/photos/analyze',
    {
      schema: {
        summary: 'Analyze photos and answer with their post.enhanced (or processing.error) event',
        description: 'JSON `{ photo_urls }` (gs://, https://, file:// where allowed) or multipart/form-data with image files.',
        consumes: ['application/json', 'multipart/form-data'],
        // No `body` schema: a multipart body is only read in the handler, so both forms are
        // checked in preValidation instead.
        response: { 400: errorResponse, 504: errorResponse },
      },
      preValidation: async (request) => {
        if (request.isMultipart()) return;
        const body = request.body as Partial<AnalyzeBody> | undefined;
        const urls = body?.photo_urls;
        if (
          !Array.isArray(urls) ||
          urls.length === 0 ||
          urls.length > maxPhotos ||
          urls.some((u) => typeof u !== 'string' || u.length === 0)
        ) {
          throw new MediaAiError('MEDIA_AI_BAD_REQUEST', `photo_urls must be an array of 1..${maxPhotos} URLs`);
        }
      },
    },
    async (request) => {
      if (!request.isMultipart()) {
        const { photo_urls, title, description, post_type } = request.body;
        return analyzeAndWait({ photoUrls: photo_urls, title, description, type: post_type });
      }
      const pipeline = await started;
      const photoUrls: string[] = [];
      const fields: Record<string, string> = {};
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            const bytes = await part.toBuffer();
            if (part.file.truncated) throw new MediaAiError('MEDIA_AI_PHOTO_TOO_LARGE');
            photoUrls.push(pipeline.uploads.add(bytes, part.mimetype));
          } else if (typeof part.value === 'string') {
            fields[part.fieldname] = part.value;
          }
        }
      } catch (error) {
        // The plugin stops a file at MAX_IMAGE_SIZE, and the request at maxPhotos files, with its own
        // errors: answer with the catalogue's codes, as for a photo URL that is too large.
        const { RequestFileTooLargeError, FilesLimitError } = app.multipartErrors;
        if (error instanceof RequestFileTooLargeError) {
          throw new MediaAiError('MEDIA_AI_PHOTO_TOO_LARGE', `A photo exceeds MAX_IMAGE_SIZE (${maxImageBytes} bytes)`);
        }
        if (error instanceof FilesLimitError) throw new MediaAiError('MEDIA_AI_BAD_REQUEST', `At most ${maxPhotos} photos per request`);
        throw error;
      }
      if (photoUrls.length === 0) throw new MediaAiError('MEDIA_AI_BAD_REQUEST', 'The multipart body holds no file');
      const type = fields.post_type === 'lost' || fields.post_type === 'found' ? fields.post_type : undefined;
      return analyzeAndWait({ photoUrls, title: fields.title, description: fields.description, type });
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
        },
      },
    },
    async (request, reply) => {
      // Read here too so a caller learns at once that an event is unreadable (the stream would
      // only dead-letter it).
      const event = readPostEvent(request.body);
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
}
