/**
 * Resolves model and label files to verified local paths, the way deployments pre-load a cache
 * volume: the cache dir first, then the configured source (a folder or an http(s) mirror), then the
 * pinned upstream URL. Every candidate is checked against the manifest's sha256 and byte length.
 *
 * Must never hand out a file whose hash it has not checked, never leave a half-written file under
 * its final name (downloads land in a temp file and are renamed), and never pretend: a model it cannot
 * resolve is reported unavailable, with every attempt and its reason, so its capability is disabled.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { MediaAiError } from '@media-ai/contracts';
import { MODEL_MANIFEST, type ModelArtifact, type ModelName, type ModelSpec } from './manifest.js';

export interface ModelManagerOptions {
  /** Writable folder that holds verified files between runs (AI_MODEL_CACHE_DIR). */
  cacheDir: string;
  /** A folder (path or file: URL) or an http(s) mirror base URL holding the files under their manifest names. */
  source?: string;
  /** Limit for one whole download (headers and body). */
  downloadTimeoutMs: number;
  /** Injected for tests and proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Whether the pinned upstream URL is tried last (default true). Air-gapped deployments turn it off. */
  allowUpstream?: boolean;
  /** Defaults to MODEL_MANIFEST; tests may pass a subset. */
  manifest?: Readonly<Partial<Record<ModelName, ModelSpec>>>;
}

export interface ResolvedModel {
  spec: ModelSpec;
  modelPath: string;
  labelsPath: string;
  /** Label file lines in model output order. */
  labels: string[];
}

export type ModelState = 'unresolved' | 'resolved' | 'unavailable';

export interface ModelStatus {
  name: ModelName;
  version: string;
  licence: string;
  state: ModelState;
  modelPath: string | null;
  labelsPath: string | null;
  /** Why it is unavailable: every attempt and its reason. null unless unavailable. */
  reason: string | null;
}

interface Attempt {
  where: string;
  reason: string;
}

export class ModelManager {
  private readonly fetchImpl: typeof fetch;
  private readonly manifest: Readonly<Partial<Record<ModelName, ModelSpec>>>;
  private readonly inFlight = new Map<ModelName, Promise<ResolvedModel>>();
  private readonly states = new Map<ModelName, ModelStatus>();

  constructor(private readonly options: ModelManagerOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.manifest = options.manifest ?? MODEL_MANIFEST;
  }

  /** Local path of the verified model file (its label file is resolved and verified too). */
  async resolve(name: ModelName): Promise<string> {
    return (await this.resolveModel(name)).modelPath;
  }

  /** Model and labels, verified. Concurrent calls share one resolution; a failure may be retried later. */
  resolveModel(name: ModelName): Promise<ResolvedModel> {
    const pending = this.inFlight.get(name);
    if (pending) return pending;
    const attempt = this.doResolve(name);
    this.inFlight.set(name, attempt);
    // A failed resolution is forgotten so that a later call (a mirror back online) can succeed.
    attempt.catch(() => this.inFlight.delete(name));
    return attempt;
  }

  /** One line per manifest model, for health/detailed. */
  status(): ModelStatus[] {
    return this.specs().map(
      (spec) =>
        this.states.get(spec.name) ?? {
          name: spec.name,
          version: spec.version,
          licence: spec.licence,
          state: 'unresolved',
          modelPath: null,
          labelsPath: null,
          reason: null,
        },
    );
  }

  private specs(): ModelSpec[] {
    return Object.values(this.manifest).filter((spec): spec is ModelSpec => spec !== undefined);
  }

  private async doResolve(name: ModelName): Promise<ResolvedModel> {
    const spec = this.manifest[name];
    if (!spec) {
      throw new MediaAiError('MEDIA_AI_MODEL_UNAVAILABLE', `Model ${String(name)} is not in the model manifest`);
    }
    try {
      const modelPath = await this.resolveArtifact(spec, spec.model);
      const labelsPath = await this.resolveArtifact(spec, spec.labels);
      const labels = parseLabels(await readFile(labelsPath, 'utf8'));
      this.states.set(name, { ...this.baseStatus(spec), state: 'resolved', modelPath, labelsPath, reason: null });
      return { spec, modelPath, labelsPath, labels };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.states.set(name, { ...this.baseStatus(spec), state: 'unavailable', modelPath: null, labelsPath: null, reason });
      throw error;
    }
  }

  private baseStatus(spec: ModelSpec): Pick<ModelStatus, 'name' | 'version' | 'licence'> {
    return { name: spec.name, version: spec.version, licence: spec.licence };
  }

  private async resolveArtifact(spec: ModelSpec, artifact: ModelArtifact): Promise<string> {
    const target = join(this.options.cacheDir, artifact.file);
    const attempts: Attempt[] = [];

    try {
      await mkdir(this.options.cacheDir, { recursive: true });
    } catch (error) {
      attempts.push({ where: `cache ${this.options.cacheDir}`, reason: `cannot create: ${describeError(error)}` });
      throw unavailable(spec, artifact, attempts);
    }

    const cached = await this.checkCached(target, artifact);
    if (cached === 'ok') return target;
    attempts.push({ where: `cache ${target}`, reason: cached });

    const source = this.options.source;
    if (!source) {
      attempts.push({ where: 'source', reason: 'not configured' });
    } else if (/^https?:\/\//i.test(source)) {
      const url = mirrorUrl(source, artifact.file);
      const failure = await this.tryStore(target, artifact, () => this.download(url));
      if (!failure) return target;
      attempts.push({ where: `mirror ${redactUrl(url)}`, reason: failure });
    } else {
      const folder = /^file:/i.test(source) ? fileURLToPath(source) : source;
      const path = join(folder, artifact.file);
      const failure = await this.tryStore(target, artifact, async () => createReadStream(path));
      if (!failure) return target;
      attempts.push({ where: `source folder ${path}`, reason: failure });
    }

    if (this.options.allowUpstream === false) {
      attempts.push({ where: 'upstream', reason: 'disabled by configuration' });
    } else if (!artifact.upstreamUrl) {
      attempts.push({ where: 'upstream', reason: 'no pinned upstream URL in the manifest' });
    } else {
      const url = artifact.upstreamUrl;
      const failure = await this.tryStore(target, artifact, () => this.download(url));
      if (!failure) return target;
      attempts.push({ where: `upstream ${url}`, reason: failure });
    }
    throw unavailable(spec, artifact, attempts);
  }

  /** 'ok', or why the cached copy is not usable (a corrupt copy is deleted so it is re-fetched). */
  private async checkCached(target: string, artifact: ModelArtifact): Promise<'ok' | string> {
    try {
      await stat(target);
    } catch {
      return 'not present';
    }
    try {
      const { sha256, bytes } = await hashFile(target);
      if (sha256 === artifact.sha256 && bytes === artifact.bytes) return 'ok';
      await unlink(target);
      return `corrupt (${bytes} bytes, sha256 ${sha256.slice(0, 12)}...), deleted`;
    } catch (error) {
      return `unreadable: ${describeError(error)}`;
    }
  }

  /**
   * Streams a candidate into a temp file beside the target while hashing it, then renames it into
   * place only when hash and length match. Returns null on success, the reason otherwise.
   */
  private async tryStore(
    target: string,
    artifact: ModelArtifact,
    open: () => Promise<Readable>,
  ): Promise<string | null> {
    const temp = join(this.options.cacheDir, `.${artifact.file}.${process.pid}.${randomUUID()}.tmp`);
    try {
      const hash = createHash('sha256');
      let bytes = 0;
      const verify = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          // Stop early rather than fill the disk when a source serves something else entirely.
          if (bytes > artifact.bytes) {
            callback(new Error(`larger than the expected ${artifact.bytes} bytes`));
            return;
          }
          hash.update(chunk);
          callback(null, chunk);
        },
      });
      await pipeline(await open(), verify, createWriteStream(temp, { flags: 'wx' }));
      const sha256 = hash.digest('hex');
      if (sha256 !== artifact.sha256 || bytes !== artifact.bytes) {
        await unlink(temp).catch(() => undefined);
        return `sha256 mismatch (${bytes} bytes, sha256 ${sha256.slice(0, 12)}...)`;
      }
      await rename(temp, target);
      return null;
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      return describeError(error);
    }
  }

  private async download(url: string): Promise<Readable> {
    const timeoutMs = this.options.downloadTimeoutMs;
    // One signal covers headers and body, so a mirror that stalls mid-body also times out.
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(url, { signal, redirect: 'follow' });
    } catch (error) {
      throw new Error(isTimeout(error) ? `timed out after ${timeoutMs} ms` : describeError(error));
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${response.status}`);
    }
    if (!response.body) throw new Error('empty response body');
    const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
    return withTimeoutMessage(body, signal, timeoutMs);
  }
}

/** Rewrites the abort error of a timed-out body into a readable reason. */
function withTimeoutMessage(body: Readable, signal: AbortSignal, timeoutMs: number): Readable {
  const out = new Transform({
    transform(chunk, _encoding, callback) {
      callback(null, chunk);
    },
  });
  body.on('error', (error) => {
    out.destroy(signal.aborted ? new Error(`timed out after ${timeoutMs} ms`) : error);
  });
  // When verification stops early (too many bytes), the connection must not stay open behind it.
  out.once('close', () => {
    if (!body.destroyed) body.destroy();
  });
  body.pipe(out);
  return out;
}

/** One label per line, in model output order; only trailing blank lines are dropped (indices matter). */
export function parseLabels(text: string): string[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    hash.update(buffer);
  }
  return { sha256: hash.digest('hex'), bytes };
}

function unavailable(spec: ModelSpec, artifact: ModelArtifact, attempts: Attempt[]): MediaAiError {
  const tried = attempts.map((a) => `${a.where}: ${a.reason}`).join('; ');
  return new MediaAiError(
    'MEDIA_AI_MODEL_UNAVAILABLE',
    `Model ${spec.name} (${artifact.file}, sha256 ${artifact.sha256.slice(0, 12)}...) could not be resolved. Tried ${tried}`,
    { details: { model: spec.name, file: artifact.file, attempts: attempts.length } },
  );
}

function mirrorUrl(base: string, file: string): string {
  return new URL(encodeURIComponent(file), base.endsWith('/') ? base : `${base}/`).toString();
}

/** Mirror URLs may carry credentials; messages and health output must not. */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.username || parsed.password) {
    parsed.username = '***';
    parsed.password = '';
  }
  return parsed.toString();
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${code && !error.message.includes(code) ? `${code}: ` : ''}${error.message}${cause}`;
}
