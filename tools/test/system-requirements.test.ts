import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SYSTEM_REQUIREMENTS,
  decide,
  missingLine,
  missingRequirements,
  onPath,
  type Facts,
  type Probe,
  type SystemRequirement,
} from './system-requirements.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const kcat: SystemRequirement = {
  tool: 'kcat',
  neededBy: 'talking to a real broker',
  projects: ['@media-ai/e2e'],
  anyOf: [[{ command: 'kcat' }], [{ command: 'kafkacat' }, { file: '/etc/kafkacat.conf' }]],
  debianPackages: ['kcat'],
};
const chart: SystemRequirement = {
  tool: 'go',
  neededBy: 'chart rendering',
  projects: ['@media-ai/deploy-checks'],
  anyOf: [[{ command: 'go' }]],
  debianPackages: ['golang-1.19', 'golang-k8s-sigs-yaml-dev'],
  notNeededWhen: { env: 'MEDIA_AI_SKIP_DEPLOY_TESTS', value: '1' },
};
const yaml: SystemRequirement = { ...chart, tool: 'yaml', anyOf: [[{ file: '/yaml' }]], debianPackages: ['golang-k8s-sigs-yaml-dev'] };

/** A machine described as data: the probes that hold on it. */
function facts(holding: Probe[], options: { env?: Record<string, string>; projects?: string[] } = {}): Facts {
  const keys = new Set(holding.map((p) => JSON.stringify(p)));
  return {
    holds: (p) => keys.has(JSON.stringify(p)),
    env: options.env ?? {},
    projects: options.projects ? new Set(options.projects) : null,
  };
}

describe('missingRequirements', () => {
  it('is met by any one alternative whose probes all hold, and not by half of one', () => {
    expect(missingRequirements([kcat], facts([{ command: 'kcat' }]))).toEqual([]);
    expect(missingRequirements([kcat], facts([{ command: 'kafkacat' }, { file: '/etc/kafkacat.conf' }]))).toEqual([]);
    expect(missingRequirements([kcat], facts([{ command: 'kafkacat' }]))).toEqual([kcat]);
    expect(missingRequirements([kcat], facts([]))).toEqual([kcat]);
  });

  it('applies only to the projects the run selected (null: all of them)', () => {
    expect(missingRequirements([kcat, chart], facts([], { projects: ['@media-ai/state'] }))).toEqual([]);
    expect(missingRequirements([kcat, chart], facts([], { projects: ['@media-ai/deploy-checks', '@media-ai/state'] }))).toEqual([chart]);
    expect(missingRequirements([kcat, chart], facts([]))).toEqual([kcat, chart]);
  });

  it('is not needed when its tests are skipped on purpose', () => {
    expect(missingRequirements([chart], facts([], { env: { MEDIA_AI_SKIP_DEPLOY_TESTS: '1' } }))).toEqual([]);
    expect(missingRequirements([chart], facts([], { env: { MEDIA_AI_SKIP_DEPLOY_TESTS: '0' } }))).toEqual([chart]);
  });
});

describe('decide', () => {
  const root = { isRoot: true, hasAptGet: true, installDisabled: false };

  it('does nothing when nothing is missing', () => {
    expect(decide([], root)).toEqual({ action: 'none' });
    expect(decide([], { ...root, isRoot: false })).toEqual({ action: 'none' });
  });

  it('installs every missing package once, as root with apt-get', () => {
    expect(decide([kcat, chart, yaml], root)).toEqual({ action: 'install', packages: ['kcat', 'golang-1.19', 'golang-k8s-sigs-yaml-dev'] });
  });

  it.each([
    ['not root', { ...root, isRoot: false }],
    ['no apt-get', { ...root, hasAptGet: false }],
    ['MEDIA_AI_TEST_NO_INSTALL=1', { ...root, installDisabled: true }],
  ])('fails with one line per missing tool when %s', (_, ability) => {
    expect(decide([kcat, chart], ability)).toEqual({
      action: 'fail',
      lines: [
        'npm test needs kcat (talking to a real broker): apt-get install kcat',
        'npm test needs go (chart rendering): apt-get install golang-1.19 golang-k8s-sigs-yaml-dev',
      ],
    });
  });
});

describe('the table', () => {
  const projectDirs = ['libs', 'services', 'tools'].flatMap((group) =>
    readdirSync(path.join(REPO_ROOT, group)).map((d) => `${group}/${d}`),
  );
  const projectNames = new Set(
    [...projectDirs, 'e2e', 'deploy-checks']
      // e2e also holds the browser project's config (vitest.browser.config.ts).
      .flatMap((dir) => ['vitest.config.ts', 'vitest.browser.config.ts'].map((file) => path.join(REPO_ROOT, dir, file)))
      .filter((file) => existsSync(file))
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/name: '(@media-ai\/[^']+)'/g)].map((m) => m[1]!)),
  );

  it.each(SYSTEM_REQUIREMENTS.map((r) => [r.tool, r] as const))(
    '%s names real projects, a way to meet it and its Debian packages',
    (_, r) => {
      expect(r.projects.length).toBeGreaterThan(0);
      for (const project of r.projects) expect(projectNames, project).toContain(project);
      expect(r.anyOf.length).toBeGreaterThan(0);
      expect(r.debianPackages.length).toBeGreaterThan(0);
      expect(missingLine(r)).toMatch(/^npm test needs .+ \(.+\): apt-get install [a-z0-9.+ -]+$/);
    },
  );

  it('probes PATH for executables', () => {
    expect(onPath('node', path.dirname(process.execPath))).toBe(true);
    expect(onPath('media-ai-no-such-tool', process.env['PATH'])).toBe(false);
  });
});

describe('on a machine without the tools', () => {
  // A PATH holding only node: redis-server and openssl are not found, and nothing may be installed.
  const bin = mkdtempSync(path.join(tmpdir(), 'media-ai-bare-path-'));
  symlinkSync(process.execPath, path.join(bin, 'node'));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('the check stops with one line per missing tool, before any test runs', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/test/system-requirements-cli.ts'], {
      cwd: REPO_ROOT,
      env: {
        PATH: bin,
        HOME: process.env['HOME'] ?? '',
        // Nothing answers on port 1, so no running Redis stands in for the binary.
        REDIS_URL: 'redis://127.0.0.1:1',
        MEDIA_AI_TEST_NO_INSTALL: '1',
        // Go may sit at /usr/lib/go-1.19 on this machine, outside PATH: leave the chart out of it.
        MEDIA_AI_SKIP_DEPLOY_TESTS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'npm test needs redis-server (join state and result cache tests; a scratch server is started when none answers at REDIS_URL): apt-get install redis-server',
      'npm test needs redis-server (the chaos run stops and starts a Redis of its own, so a running one does not do): apt-get install redis-server',
      'npm test needs openssl (the self-signed certificate of the https:// test servers): apt-get install openssl',
      "npm test needs kcat (librdkafka's client: the test broker's second Kafka client in the broker and e2e suites): apt-get install kcat",
    ]);
  });
});
