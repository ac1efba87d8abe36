import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { MODEL_MANIFEST, MODEL_NAMES } from './manifest.js';
import { ModelManager, parseLabels } from './model-manager.js';

const SHARED_MODELS = fileURLToPath(new URL('../../../../../shared/models/', import.meta.url));

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** Refuses every upstream URL, as an offline machine does, and records what was asked. */
function offlineUpstream(requested: string[]): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    requested.push(url);
    if (url.startsWith('https://raw.githubusercontent.com/')) throw new TypeError('fetch failed (offline test)');
    return fetch(input, init);
  };
}

describe('MODEL_MANIFEST', () => {
  it('matches the files in ../shared/models byte for byte', async () => {
    for (const name of MODEL_NAMES) {
      for (const artifact of [MODEL_MANIFEST[name].model, MODEL_MANIFEST[name].labels]) {
        const path = join(SHARED_MODELS, artifact.file);
        expect((await stat(path)).size, artifact.file).toBe(artifact.bytes);
        expect(await sha256Of(path), artifact.file).toBe(artifact.sha256);
      }
    }
  });

  it('pins every upstream URL to a commit, never a branch', () => {
    for (const name of MODEL_NAMES) {
      const url = MODEL_MANIFEST[name].model.upstreamUrl;
      expect(url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\//);
    }
  });
});

describe('ModelManager', () => {
  let cacheDir: string;
  let requested: string[];

  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'media-ai-models-'));
    requested = [];
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('copies a model and its labels from the source folder into the cache, verified', async () => {
    const manager = new ModelManager({ cacheDir, source: SHARED_MODELS, downloadTimeoutMs: 2000, fetch: offlineUpstream(requested) });
    const path = await manager.resolve('yolox-nano');
    expect(path).toBe(join(cacheDir, 'yolox_nano.onnx'));
    expect(await sha256Of(path)).toBe(MODEL_MANIFEST['yolox-nano'].model.sha256);
    const resolved = await manager.resolveModel('yolox-nano');
    expect(resolved.labels).toHaveLength(80);
    expect(resolved.labels[0]).toBe('person');
    expect(resolved.labels[67]).toBe('cell phone');
    // No temp files are left beside the verified ones.
    expect((await readdir(cacheDir)).sort()).toEqual(['coco80.txt', 'yolox_nano.onnx']);
    expect(requested).toEqual([]);
    const status = manager.status();
    expect(status.find((s) => s.name === 'yolox-nano')).toMatchObject({ state: 'resolved', modelPath: path, reason: null });
    expect(status.find((s) => s.name === 'mobilenetv2-int8')).toMatchObject({ state: 'unresolved' });
  });

  it('accepts the source folder as a file: URL', async () => {
    const manager = new ModelManager({ cacheDir, source: new URL(`file://${SHARED_MODELS}`).href, downloadTimeoutMs: 2000, allowUpstream: false });
    expect(await sha256Of(await manager.resolve('mobilenetv2-int8'))).toBe(MODEL_MANIFEST['mobilenetv2-int8'].model.sha256);
  });

  it('serves a verified cached copy without any source', async () => {
    await copyFile(join(SHARED_MODELS, 'mobilenetv2-12-int8.onnx'), join(cacheDir, 'mobilenetv2-12-int8.onnx'));
    await copyFile(join(SHARED_MODELS, 'imagenet1000.txt'), join(cacheDir, 'imagenet1000.txt'));
    const manager = new ModelManager({ cacheDir, downloadTimeoutMs: 2000, fetch: offlineUpstream(requested) });
    const resolved = await manager.resolveModel('mobilenetv2-int8');
    expect(resolved.labels).toHaveLength(1000);
    expect(resolved.labels[487]).toBe('cellular telephone');
    expect(requested).toEqual([]);
  });

  it('deletes a corrupt cached copy and fetches it again from the source', async () => {
    const target = join(cacheDir, 'yolox_nano.onnx');
    const corrupt = await readFile(join(SHARED_MODELS, 'yolox_nano.onnx'));
    corrupt[1000] = corrupt[1000]! ^ 0xff; // same size, one flipped byte
    await writeFile(target, corrupt);
    const manager = new ModelManager({ cacheDir, source: SHARED_MODELS, downloadTimeoutMs: 2000, fetch: offlineUpstream(requested) });
    expect(await manager.resolve('yolox-nano')).toBe(target);
    expect(await sha256Of(target)).toBe(MODEL_MANIFEST['yolox-nano'].model.sha256);
  });

  it('rejects a corrupt source, then reports every attempt when nothing else works', async () => {
    const badSource = await mkdtemp(join(tmpdir(), 'media-ai-bad-source-'));
    try {
      await writeFile(join(badSource, 'yolox_nano.onnx'), Buffer.alloc(1024, 7));
      await writeFile(join(cacheDir, 'yolox_nano.onnx'), 'not a model');
      const manager = new ModelManager({ cacheDir, source: badSource, downloadTimeoutMs: 2000, fetch: offlineUpstream(requested) });
      const error = await manager.resolve('yolox-nano').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaAiError);
      expect((error as MediaAiError).code).toBe('MEDIA_AI_MODEL_UNAVAILABLE');
      const message = (error as Error).message;
      expect(message).toContain('yolox-nano');
      expect(message).toMatch(/cache .*corrupt .*deleted/);
      expect(message).toMatch(/source folder .*sha256 mismatch/);
      expect(message).toMatch(/upstream https:\/\/raw\.githubusercontent\.com\/Kazuhito00\/.*fetch failed/);
      expect(requested).toEqual([MODEL_MANIFEST['yolox-nano'].model.upstreamUrl]);
      // Nothing unverified stays behind under any name.
      expect(await readdir(cacheDir)).toEqual([]);
      expect(manager.status().find((s) => s.name === 'yolox-nano')).toMatchObject({
        state: 'unavailable',
        modelPath: null,
        reason: message,
      });
    } finally {
      await rm(badSource, { recursive: true, force: true });
    }
  });

  it('reports a missing source folder and a label file without a pinned upstream', async () => {
    const manager = new ModelManager({
      cacheDir,
      source: join(cacheDir, 'no-such-folder'),
      downloadTimeoutMs: 2000,
      allowUpstream: false,
    });
    const error = (await manager.resolve('mobilenetv2-int8').catch((e: unknown) => e)) as MediaAiError;
    expect(error.code).toBe('MEDIA_AI_MODEL_UNAVAILABLE');
    expect(error.message).toMatch(/cache .*: not present/);
    expect(error.message).toMatch(/source folder .*no-such-folder.*ENOENT/);
    expect(error.message).toContain('upstream: disabled by configuration');

    // Model present in the cache, its labels nowhere: still unavailable (a model without labels is useless).
    await copyFile(join(SHARED_MODELS, 'mobilenetv2-12-int8.onnx'), join(cacheDir, 'mobilenetv2-12-int8.onnx'));
    const labelsOnly = new ModelManager({ cacheDir, downloadTimeoutMs: 2000 });
    const labelsError = (await labelsOnly.resolve('mobilenetv2-int8').catch((e: unknown) => e)) as MediaAiError;
    expect(labelsError.message).toContain('imagenet1000.txt');
    expect(labelsError.message).toContain('source: not configured');
    expect(labelsError.message).toContain('upstream: no pinned upstream URL in the manifest');
  });

  it('rejects unknown model names', async () => {
    const manager = new ModelManager({ cacheDir, downloadTimeoutMs: 2000 });
    await expect(manager.resolve('resnet' as never)).rejects.toMatchObject({ code: 'MEDIA_AI_MODEL_UNAVAILABLE' });
  });
});

describe('ModelManager with an HTTP mirror', () => {
  let server: Server;
  let baseUrl: string;
  const hits: string[] = [];
  let cacheDir: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      hits.push(path);
      if (path.startsWith('/stall/')) {
        // Headers, a first chunk, then silence: only the download timeout ends this.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(Buffer.alloc(100));
        return;
      }
      if (path.startsWith('/wrong/')) {
        res.writeHead(200).end(Buffer.alloc(621, 0x41));
        return;
      }
      const file = decodeURIComponent(path.replace(/^\/models\//, ''));
      if (!path.startsWith('/models/') || file.includes('/')) {
        res.writeHead(404).end();
        return;
      }
      const stream = createReadStream(join(SHARED_MODELS, file));
      stream.on('error', () => res.writeHead(404).end());
      stream.on('open', () => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        stream.pipe(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'media-ai-mirror-'));
    hits.length = 0;
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('downloads model and labels from the mirror into the cache', async () => {
    const manager = new ModelManager({ cacheDir, source: `${baseUrl}/models`, downloadTimeoutMs: 5000, allowUpstream: false });
    const resolved = await manager.resolveModel('mobilenetv2-int8');
    expect(hits).toEqual(['/models/mobilenetv2-12-int8.onnx', '/models/imagenet1000.txt']);
    expect(await sha256Of(resolved.modelPath)).toBe(MODEL_MANIFEST['mobilenetv2-int8'].model.sha256);
    expect(resolved.labels).toHaveLength(1000);
    // Concurrent resolutions share one download.
    const again = await Promise.all([manager.resolve('mobilenetv2-int8'), manager.resolve('mobilenetv2-int8')]);
    expect(again).toEqual([resolved.modelPath, resolved.modelPath]);
    expect(hits).toHaveLength(2);
  });

  it('rejects a mirror that serves the wrong bytes, and a 404', async () => {
    const wrong = new ModelManager({ cacheDir, source: `${baseUrl}/wrong/`, downloadTimeoutMs: 5000, allowUpstream: false });
    await expect(wrong.resolve('yolox-nano')).rejects.toThrow(/mirror http:\/\/127\.0\.0\.1:\d+\/wrong\/yolox_nano\.onnx: sha256 mismatch/);
    const missing = new ModelManager({ cacheDir, source: `${baseUrl}/nothing`, downloadTimeoutMs: 5000, allowUpstream: false });
    await expect(missing.resolve('yolox-nano')).rejects.toThrow(/nothing\/yolox_nano\.onnx: HTTP 404/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('gives up on a stalled mirror after the download timeout', async () => {
    const manager = new ModelManager({ cacheDir, source: `${baseUrl}/stall`, downloadTimeoutMs: 300, allowUpstream: false });
    const started = Date.now();
    await expect(manager.resolve('yolox-nano')).rejects.toThrow(/stall\/yolox_nano\.onnx: timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await readdir(cacheDir)).toEqual([]);
  });
});

describe('parseLabels', () => {
  it('keeps positions and drops only trailing blank lines', () => {
    expect(parseLabels('a\r\nb c\n\nd\n\n')).toEqual(['a', 'b c', '', 'd']);
  });
});
