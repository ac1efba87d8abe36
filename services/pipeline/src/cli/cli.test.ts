/**
 * The `media-ai` command as a user runs it: `node bin/media-ai.js ...` from the repository root, in a
 * child process with its own environment (models from ../shared, temp cache and blobs, no OpenAI key).
 * bin/media-ai.js runs the build when there is one, else the sources through tsx.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClamd, type ClamdProcess } from '@media-ai/clamav/test-support';
import { validatePostEnhanced, type Box, type PostEnhancedEvent } from '@media-ai/contracts';
import { freePort } from '@media-ai/contracts/test-support';
import { FaceDetector, intersectionOverUnion, normalizePhoto } from '@media-ai/vision';
import { photoPath, testEnv, type TestEnv } from '../test-support/pipeline-env.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = path.join(REPO_ROOT, 'bin', 'media-ai.js');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function media(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<Run> & { kill(signal: NodeJS.Signals): void } {
  // Only what node needs from this process; nothing else (no OPENAI_API_KEY from a developer's shell).
  const base = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`media-ai ${args.join(' ')} ran over ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return Object.assign(done, { kill: (signal: NodeJS.Signals) => void child.kill(signal) });
}

let env: TestEnv;

beforeAll(() => {
  env = testEnv();
});

afterAll(() => env?.cleanup());

describe('media-ai analyze', () => {
  it('prints a summary per photo naming the item and the objects', async () => {
    const run = await media(['analyze', photoPath('phone_with_powerbank.jpg')], env.env);

    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[2]).toBe(photoPath('phone_with_powerbank.jpg'));
    expect(run.stdout).toMatch(/^ {2}item: {4}phone \(\d+%, from [a-z+]*detector[a-z+]*\)$/m);
    expect(run.stdout).toMatch(/^ {2}objects: phone \d+%/m);
    // Without an llm the description is built from what was found, more than the item's name
    // ("Black phone.", or the item followed by what else was seen).
    expect(run.stdout).toMatch(/^ {2}about: {3}(.*\w+ phone\..*|(\w+ )*phone\. .+)$/im);
    // The post-level figure says what it is (and names the tags it averages) and what it decides.
    expect(run.stdout).toMatch(/^ {2}overall: \d+% \(mean of the [1-3] strongest tags: phone \d+%.*\)$/m);
    expect(run.stdout).toMatch(/^ {11}level (auto_enhance|suggest_tags|human_review|discard): (.+ applied|nothing is applied)/m);
    expect(run.stdout).toMatch(/^ {2}time: {4}\d+ ms$/m);
    // The llm is off: the run says so before the summaries, and no post waits for it.
    expect(lines[0]).toBe('note: llm is off: OPENAI_API_KEY is not set (nor OPENAI_BASE_URL for a self-hosted model)');
    expect(run.stdout).not.toContain('missing:');
  });

  it('writes nothing to stderr at the default log level, tesseract re-reads included', async () => {
    // The README's command as a user types it: no LOG_LEVEL. The battery pack's glued capitals are
    // re-read by tesseract, which used to print a resolution warning for every line.
    const { LOG_LEVEL: _, ...defaults } = env.env;
    const run = await media(['analyze', photoPath('batteries_varta.jpg'), photoPath('phone_with_powerbank.jpg')], defaults);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ {2}text: {4}.*"HIGH ENERGY"/m);
    expect(run.stderr).toBe('');
  });

  it('--json prints the post.enhanced event and --annotate writes a JPEG with the boxes', async () => {
    const annotateDir = path.join(env.dir, 'annotated');
    const run = await media(['analyze', '--json', '--annotate', annotateDir, photoPath('phone_with_powerbank.jpg')], env.env);

    expect(run.code, run.stderr).toBe(0);
    const event = JSON.parse(run.stdout) as PostEnhancedEvent;
    expect(event.event_type).toBe('post.enhanced');
    expect(validatePostEnhanced(event).errors).toEqual([]);
    expect(event.data.enhanced_metadata.attributes.objects?.map((o) => o.name)).toContain('phone');

    expect(await readdir(annotateDir)).toEqual(['phone_with_powerbank.annotated.jpg']);
    const jpeg = await readFile(path.join(annotateDir, 'phone_with_powerbank.annotated.jpg'));
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(jpeg.length).toBeGreaterThan(10_000);
    // stdout is the event alone; where the copy went is logged (info), not printed.
    expect(run.stderr).toBe('');
  });

  it('--annotate blurs the faces on its copies', async () => {
    const annotateDir = path.join(env.dir, 'annotated-faces');
    const run = await media(['analyze', '--annotate', annotateDir, photoPath('person_with_dog.jpg')], env.env);
    expect(run.code, run.stderr).toBe(0);

    const faces = await FaceDetector.create();
    try {
      const original = await normalizePhoto(await readFile(photoPath('person_with_dog.jpg')), {
        maxSide: 2048,
        quality: 85,
        maxPixels: 50_000_000,
        allowedTypes: ['image/jpeg'],
        stripMetadata: true,
      });
      const [girl] = await faces.detectInJpeg(original.jpeg);
      expect(girl).toBeDefined();
      const annotated = await faces.detectInJpeg(await readFile(path.join(annotateDir, 'person_with_dog.annotated.jpg')));
      const corners = (b: Box) => ({ x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height });
      for (const left of annotated) expect(intersectionOverUnion(corners(girl!.box), corners(left.box))).toBeLessThan(0.1);
    } finally {
      await faces.close();
    }
  });
});

describe('start-up errors', () => {
  it.each([
    ['PORT', 'abc'],
    ['AI_CONFIDENCE_AUTO_ENHANCE', '2'],
  ])('a bad %s exits 2 naming the variable', async (variable, value) => {
    const run = await media(['analyze', photoPath('phone_with_powerbank.jpg')], { ...env.env, [variable]: value });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('media-ai: invalid configuration');
    expect(run.stderr).toContain(variable);
    expect(run.stdout).toBe('');
  });

  it('a photo that does not exist exits 2 naming it, without a stack trace', async () => {
    const run = await media(['analyze', photoPath('no_such_photo.jpg')], env.env);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`media-ai analyze: No such file, folder or URL: ${photoPath('no_such_photo.jpg')}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('serve outside development without MEDIA_AI_IDENTIFIER_KEY exits 2 naming it; a short key is refused without being echoed', async () => {
    const missing = await media(['serve'], { ...env.env, ENVIRONMENT: 'staging' });
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain('MEDIA_AI_IDENTIFIER_KEY');
    const short = await media(['serve'], { ...env.env, ENVIRONMENT: 'staging', MEDIA_AI_IDENTIFIER_KEY: 'hunter2-too-short' });
    expect(short.code, short.stderr).toBe(2);
    expect(short.stderr).toContain('MEDIA_AI_IDENTIFIER_KEY');
    expect(short.stderr + short.stdout).not.toContain('hunter2');
  });

  it('an unknown command exits 2 with the usage', async () => {
    const run = await media(['analyse-this'], env.env);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command: analyse-this');
    expect(run.stderr).toContain('Usage:');
  });
});

describe('media-ai models validate and info', () => {
  // Every model on this machine: minutes on a loaded 2-core machine, so one run each.
  it('validate passes every graph and known-answer check on the built-in image', async () => {
    const run = await media(['models', 'validate', '--runs', '1'], env.env, 600_000);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^validate: all 13 checks passed$/m);
    for (const graph of [
      'yolox-nano',
      'nanodet-g',
      'mobilenetv2-int8',
      'blazeface-back-256',
      'pp-ocrv4-det',
      'pp-ocrv4-cls',
      'pp-ocrv4-rec',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`^  ok {4}${graph} .* on CPU, [0-9.]+ ms$`, 'm'));
    }
    expect(run.stdout).toMatch(/^ {2}ok {4}objects yolox-nano +expected person and dog: .*person .*dog/m);
    expect(run.stdout).toMatch(/^ {2}ok {4}item mobilenetv2-int8 +expected top class a dog: /m);
    expect(run.stdout).toMatch(/^ {2}ok {4}faces blazeface-back-256 +expected one face/m);
    expect(run.stdout).toMatch(/^ {2}ok {4}text pp-ocrv4 +expected MEDIA and 2026: "MEDIA ?AI ?2026"/m);
    expect(run.stdout).toMatch(/^ {2}ok {4}text tesseract +expected MEDIA and 2026: /m);
  }, 600_000);

  it('info prints one row per model with its pinned sha256, the provider used and a latency', async () => {
    const run = await media(['models', 'info', '--runs', '1'], env.env, 600_000);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const rows = new Map(
      run.stdout
        .split('\n')
        .slice(1)
        .filter((l) => /^[a-z]/.test(l) && !l.startsWith('ms p50'))
        .map((l) => [l.split(/\s+/)[0]!, l.split(/\s{2,}/)] as const),
    );
    expect([...rows.keys()]).toEqual([
      'yolox-nano',
      'nanodet-g',
      'mobilenetv2-int8',
      'blazeface-back-256',
      'pp-ocrv4-det',
      'pp-ocrv4-cls',
      'pp-ocrv4-rec',
      'tesseract-eng',
    ]);
    expect(rows.get('yolox-nano')).toEqual([
      'yolox-nano',
      'megvii/yolox-nano:0.1.1rc0+695e750a',
      'Apache-2.0',
      '3.5 MiB',
      '1x3x416x416',
      'CPU',
      expect.stringMatching(/^[0-9.]+$/),
      '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14',
    ]);
    expect(rows.get('mobilenetv2-int8')?.[4]).toBe('Nx3x224x224');
    expect(rows.get('pp-ocrv4-rec')?.[4]).toBe('Nx3x48x?');
    expect(rows.get('tesseract-eng')?.[5]).toBe('CPU (WASM)');
  }, 600_000);
});

describe('media-ai serve', () => {
  // serve scans photos by default (SCAN_FOR_MALWARE), so it runs beside a clamd, as deployed.
  let clamd: ClamdProcess;
  beforeAll(async () => {
    clamd = await startClamd();
  });
  afterAll(() => clamd?.cleanup());

  it('refuses to start without a clamd, exit 2 with one problem naming CLAMAV_HOST', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const port = await freePort();
    const run = await media(['serve'], { ...env.env, HOST: '127.0.0.1', PORT: String(port), CLAMAV_PORT: String(closed) });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('media-ai: invalid configuration');
    expect(run.stderr).toMatch(
      /^ {2}CLAMAV_HOST: expected a clamd answering PING, as SCAN_FOR_MALWARE is on, got clamd at tcp:\/\/127.0.0.1:\d+: ECONNREFUSED/m,
    );
  });

  it('becomes ready on PORT, answers, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const run = media(['serve'], { ...env.env, HOST: '127.0.0.1', PORT: String(port), CLAMAV_PORT: String(clamd.port) });
    let exited = false;
    void run.then(
      () => (exited = true),
      () => (exited = true),
    );

    // Wait for the condition (ready), not for a fixed time; stop early if the process died.
    let ready = false;
    for (let attempt = 0; attempt < 600 && !ready && !exited; attempt++) {
      ready = await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!ready) {
      run.kill('SIGKILL');
      const result = await run;
      expect.fail(`serve never became ready (exit ${result.code}):\n${result.stderr.slice(-2000)}`);
    }
    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health/detailed`);
    expect(health.status).toBe(200);
    expect(Object.keys(((await health.json()) as { checks: object }).checks)).toEqual(
      expect.arrayContaining(['detector', 'ocr', 'llm', 'malware_scanner']),
    );

    run.kill('SIGTERM');
    const result = await run;
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
  });
});
