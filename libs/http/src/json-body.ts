/**
 * The JSON body parser of every route: Fastify's own (prototype-poisoning checks included), behind
 * a depth check on the raw text, so a body nested thousands deep is refused with 400
 * MEDIA_AI_JSON_TOO_DEEP before anything walks it recursively (validation, the event reader's
 * copies) and overflows the stack. Must never parse before the depth is known to be bounded.
 */
import { MediaAiError } from '@media-ai/contracts';
import type { FastifyInstance } from 'fastify';

/** Generous for every payload the API takes (a posts.events record nests about 6 deep). */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether the JSON text opens more than `limit` arrays or objects inside one another. One pass,
 * no recursion; brackets inside strings do not count. Text that is not JSON may be misjudged
 * either way: the parser refuses it anyway.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

export function registerJsonBodyParser(app: FastifyInstance, maxDepth = MAX_JSON_DEPTH): void {
  // Fastify's defaults: a __proto__ or constructor.prototype key is an error, not silently dropped.
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDepthExceeds(text, maxDepth)) {
      done(new MediaAiError('MEDIA_AI_JSON_TOO_DEEP', `The JSON body nests deeper than ${maxDepth} levels`), undefined);
      return;
    }
    parse(request, text, done);
  });
}
