/**
 * `media-ai schemas check|register`: as CI and the deploy step run it (`node bin/media-ai.js ...`
 * in a child process from the repository root) and, for the finer cases, by calling the command
 * in-process. The registry is the stand-in from @media-ai/contracts/test-support, on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfluentSchemaRegistryClient, resolveSchemaIds } from '@media-ai/contracts';
import { startSchemaRegistryServer, type SchemaRegistryServer } from '@media-ai/contracts/test-support';
import { schemasCommand } from './schemas.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = path.join(REPO_ROOT, 'bin', 'media-ai.js');
const SCHEMA_DIR = path.join(REPO_ROOT, 'schemas', 'avro');
const TOPICS = ['media-ai.descriptions', 'media-ai.detections', 'media-ai.photos', 'media-ai.posts', 'media-ai.reviews', 'media-ai.texts'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function media(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Run> {
  // Only what node needs from this process: no SCHEMA_REGISTRY_* from a developer's shell.
  const base = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_LEVEL: 'ERROR' };
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<Run>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`media-ai ${args.join(' ')} ran over ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The command in-process, with its output captured and the registry (if any) as configuration. */
async function inProcess(args: string[], registryUrl?: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await schemasCommand(args, {
    loadConfig: () => ({ kafka: registryUrl ? { schemaRegistry: { url: registryUrl } } : {} }),
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** A copy of the repository's schemas/avro in a temp folder, with `extra` files added. */
async function schemaCopy(extra: Record<string, object> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'media-ai-schemas-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(SCHEMA_DIR, dir, { recursive: true });
  for (const [name, schema] of Object.entries(extra)) await writeFile(path.join(dir, name), JSON.stringify(schema, null, 2));
  return dir;
}

async function registryServer(): Promise<SchemaRegistryServer> {
  const server = await startSchemaRegistryServer();
  cleanups.push(() => server.close());
  return server;
}

type Field = { name: string; type: unknown; default?: unknown };
const postsV1 = async (): Promise<{ fields: Field[] } & Record<string, unknown>> =>
  JSON.parse(await readFile(path.join(SCHEMA_DIR, 'media-ai.posts.v1.avsc'), 'utf8')) as { fields: Field[] } & Record<string, unknown>;

/** The newest version of media-ai.posts in the repository folder: what a new version follows. */
async function newestPosts(): Promise<{ version: number; file: string; schema: { fields: Field[] } & Record<string, unknown> }> {
  const versions = (await readdir(SCHEMA_DIR)).flatMap((f) => /^media-ai\.posts\.v(\d+)\.avsc$/.exec(f)?.[1] ?? []).map(Number);
  const version = Math.max(...versions);
  const file = `media-ai.posts.v${version}.avsc`;
  return {
    version,
    file,
    schema: JSON.parse(await readFile(path.join(SCHEMA_DIR, file), 'utf8')) as { fields: Field[] } & Record<string, unknown>,
  };
}

describe('media-ai schemas check', () => {
  it('passes the repository schemas (npm run schemas:check)', async () => {
    const run = await media(['schemas', 'check']);

    expect(run.code, run.stderr).toBe(0);
    for (const topic of TOPICS) expect(run.stdout).toMatch(new RegExp(`^ok  ${topic.replace('.', '\\.')}\\s+v1`, 'm'));
    expect(run.stdout).toMatch(/BACKWARD_TRANSITIVE compatibility ok/);
  });

  it('exits 1 naming the topic and versions when a new version adds a required field without a default', async () => {
    const v1 = await postsV1();
    const dir = await schemaCopy({ 'media-ai.posts.v2.avsc': { ...v1, fields: [...v1.fields, { name: 'priority', type: 'int' }] } });

    const run = await media(['schemas', 'check', '--dir', dir]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /media-ai\.posts: v2 \(media-ai\.posts\.v2\.avsc\) cannot read data written with v1 \(media-ai\.posts\.v1\.avsc\)/,
    );
    expect(run.stderr).toMatch(/not BACKWARD_TRANSITIVE compatible/);
    expect(run.stderr).toMatch(/1 problem in /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 when a new version changes a field type', async () => {
    const v1 = await postsV1();
    const changed = { ...v1, fields: v1.fields.map((f) => (f.name === 'revision' ? { ...f, type: 'string' } : f)) };
    const run = await inProcess(['check', '--dir', await schemaCopy({ 'media-ai.posts.v2.avsc': changed })]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/media-ai schemas check: media-ai\.posts: v2 .* cannot read data written with v1/);
  });

  it('accepts a compatible new version (a field added with a default)', async () => {
    const newest = await newestPosts();
    const next = { ...newest.schema, fields: [...newest.schema.fields, { name: 'priority', type: 'int', default: 0 }] };
    const run = await inProcess(['check', '--dir', await schemaCopy({ [`media-ai.posts.v${newest.version + 1}.avsc`]: next })]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^ok {2}media-ai\\.posts\\s+v1\\.\\.v${newest.version + 1}$`, 'm'));
  });

  it('exits 1 on a gap in the version numbers and on a misnamed file', async () => {
    const v1 = await postsV1();
    const { version } = await newestPosts();
    const dir = await schemaCopy({ [`media-ai.posts.v${version + 2}.avsc`]: v1, 'media-ai.texts.avsc': v1 });
    const run = await inProcess(['check', '--dir', dir]);

    const found = [...Array.from({ length: version }, (_, i) => `v${i + 1}`), `v${version + 2}`].join(', ');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`media-ai.posts: versions must run v1, v2, ... without gaps; found ${found} (missing v${version + 1})`);
    expect(run.stderr).toMatch(/media-ai\.texts\.avsc: Avro schema files must be named <topic>\.v<N>\.avsc/);
    expect(run.stderr).toMatch(/2 problems in /);
  });

  it('--registry also asks the registry, naming the topic it would refuse', async () => {
    const server = await registryServer();
    // The registry holds a posts schema without event_type, which the folder's newest version requires.
    const v1 = await postsV1();
    const { version, file } = await newestPosts();
    await server.registry.register('media-ai.posts-value', { ...v1, fields: v1.fields.filter((f) => f.name !== 'event_type') });

    const run = await inProcess(['check', '--registry'], server.url);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`media-ai.posts: v${version} (${file}) is not compatible with what ${server.url}`);
    expect(run.stderr).toMatch(/holds for media-ai\.posts-value: .*event_type/);
    expect(run.stdout).toMatch(/^ok {2}media-ai\.texts\s+v\d+ accepted by /m);
    expect(server.requests('POST /compatibility/subjects/{subject}/versions/{version}')).toBe(TOPICS.length);
    expect(server.requests('POST /subjects/{subject}/versions')).toBe(0);
  });

  it('exits 2 on an unknown subcommand or option', async () => {
    expect((await inProcess(['verify'])).code).toBe(2);
    expect((await inProcess(['check', '--nope'])).code).toBe(2);
    expect((await inProcess(['register', '--registry'])).code).toBe(2);
  });
});

describe('media-ai schemas register (the deploy step)', () => {
  it('registers every topic with the registry at SCHEMA_REGISTRY_URL, idempotently, for the stages to resolve', async () => {
    const server = await registryServer();
    const subjects = TOPICS.map((t) => `${t}-value`);

    const first = await media(['schemas', 'register'], { SCHEMA_REGISTRY_URL: server.url });
    expect(first.code, first.stderr).toBe(0);
    expect(server.registry.subjectNames()).toEqual(subjects);
    for (const subject of subjects) {
      expect(first.stdout).toMatch(new RegExp(`^registered\\s+${subject.replace('.', '\\.')}\\s+.*id \\d+$`, 'm'));
      expect(server.registry.versions(subject)).toHaveLength(1);
      expect(server.registry.subjectCompatibility(subject)).toBe('BACKWARD_TRANSITIVE');
    }

    const second = await media(['schemas', 'register'], { SCHEMA_REGISTRY_URL: server.url });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.match(/^already registered/gm)).toHaveLength(subjects.length);
    expect(server.requests('POST /subjects/{subject}/versions')).toBe(subjects.length);
    for (const subject of subjects) expect(server.registry.versions(subject)).toHaveLength(1);

    // What a stage does at start-up now finds every id.
    const ids = await resolveSchemaIds(new ConfluentSchemaRegistryClient({ url: server.url }));
    expect(Object.keys(ids).sort()).toEqual(TOPICS);
  });

  it('registers nothing from a folder that breaks a rule', async () => {
    const server = await registryServer();
    const v1 = await postsV1();
    const dir = await schemaCopy({ 'media-ai.posts.v2.avsc': { ...v1, fields: [...v1.fields, { name: 'priority', type: 'int' }] } });

    const run = await inProcess(['register', '--dir', dir], server.url);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nothing registered: fix .* first/);
    expect(server.requests()).toBe(0);
  });

  it('exits 1 when the registry refuses a schema or is down, and 2 without SCHEMA_REGISTRY_URL', async () => {
    const server = await registryServer();
    const v1 = await postsV1();
    const { file } = await newestPosts();
    await server.registry.register('media-ai.posts-value', { ...v1, fields: v1.fields.filter((f) => f.name !== 'event_type') });
    const refused = await inProcess(['register'], server.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`media-ai.posts: ${file} refused: `);
    expect(refused.stderr).toMatch(/1 schema refused by /);

    server.failWith(503);
    const down = await inProcess(['register'], server.url);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/HTTP 503/);
    expect(down.stderr).toMatch(/stopped: the registry at http:\/\/127\.0\.0\.1:\d+ could not be used/);

    expect((await inProcess(['register'])).code).toBe(2);
  });
});
