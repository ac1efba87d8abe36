/**
 * The system tools the tests need beyond Node and npm, in one table: what each tool is, how to tell it
 * is there, the Debian packages that provide it and which test projects need it. Adding a tool is one
 * entry in SYSTEM_REQUIREMENTS. Read by the vitest global set-up (system-requirements-setup.ts), which
 * installs what is missing when it can and otherwise stops the run in seconds with one line per tool,
 * and by .ci/run (system-requirements-cli.ts).
 *
 * The decision logic (missingRequirements, decide) is pure and works on plain data; probing the
 * machine and running apt-get are separate. Nothing here ever removes or changes a package: the only
 * action it takes is `apt-get install` of what a table entry names, as root.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/** One fact about the machine. */
export type Probe =
  /** An executable of this name on PATH. */
  | { command: string }
  /** A file or folder at this absolute path. */
  | { file: string }
  /** The executable named by this environment variable (when it is set and exists). */
  | { fileFromEnv: string }
  /** A Redis answers PING at REDIS_URL (default 127.0.0.1:6379). */
  | { redisAnswers: true };

export interface SystemRequirement {
  /** The tool the message names, e.g. `redis-server`. */
  tool: string;
  /** What needs it, in a few words, for the message. */
  neededBy: string;
  /** The vitest projects whose tests need it: the requirement applies only when one of them runs. */
  projects: readonly string[];
  /** Met when every probe of at least one alternative holds. */
  anyOf: ReadonlyArray<readonly Probe[]>;
  /** The Debian packages that meet it once installed. */
  debianPackages: readonly string[];
  /** An environment setting under which its tests are skipped on purpose, so it is not needed. */
  notNeededWhen?: { env: string; value: string };
}

/** Where Debian's golang-*-dev packages put Go sources (tools/helm-render builds in GOPATH mode). */
const DEBIAN_GOCODE = '/usr/share/gocode/src';
const HELM_RENDER_SOURCES: Probe[] = [
  { file: `${DEBIAN_GOCODE}/github.com/Masterminds/sprig` },
  { file: `${DEBIAN_GOCODE}/sigs.k8s.io/yaml` },
];

export const SYSTEM_REQUIREMENTS: readonly SystemRequirement[] = [
  {
    tool: 'redis-server',
    neededBy: 'join state and result cache tests; a scratch server is started when none answers at REDIS_URL',
    projects: ['@media-ai/state', '@media-ai/aggregator-service', '@media-ai/pipeline', '@media-ai/e2e'],
    anyOf: [[{ command: 'redis-server' }], [{ redisAnswers: true }]],
    debianPackages: ['redis-server'],
  },
  {
    tool: 'redis-server',
    neededBy: 'the chaos run stops and starts a Redis of its own, so a running one does not do',
    projects: ['@media-ai/e2e'],
    anyOf: [[{ command: 'redis-server' }]],
    debianPackages: ['redis-server'],
  },
  {
    tool: 'openssl',
    neededBy: 'the self-signed certificate of the https:// test servers',
    projects: ['@media-ai/storage', '@media-ai/fetcher-service', '@media-ai/e2e'],
    anyOf: [[{ command: 'openssl' }]],
    debianPackages: ['openssl'],
  },
  {
    tool: 'kcat',
    neededBy: "librdkafka's client: the test broker's second Kafka client in the broker and e2e suites",
    projects: ['@media-ai/stream', '@media-ai/e2e'],
    anyOf: [[{ command: 'kcat' }]],
    debianPackages: ['kcat'],
  },
  {
    tool: 'clamd',
    neededBy: 'malware-scan tests: each starts its own clamd with a test signature database (no freshclam, never the system service)',
    projects: ['@media-ai/clamav', '@media-ai/fetcher-service', '@media-ai/pipeline'],
    // The same places libs/clamav/src/test-support/clamd-process.ts looks for it.
    anyOf: [[{ fileFromEnv: 'MEDIA_AI_CLAMD' }], [{ file: '/usr/sbin/clamd' }]],
    debianPackages: ['clamav-daemon'],
  },
  {
    tool: 'chromium',
    neededBy: 'the review desk browser test (npm run test:browser): playwright-core drives the system Chromium, never a downloaded one',
    projects: ['@media-ai/browser'],
    anyOf: [[{ file: '/usr/bin/chromium' }]],
    debianPackages: ['chromium'],
  },
  {
    tool: 'go with sprig and sigs.k8s.io/yaml',
    neededBy: 'deploy-checks: tools/helm-render renders the Helm chart when no helm is on PATH',
    projects: ['@media-ai/deploy-checks'],
    // The same places deploy-checks/src/test-support/render-chart.ts looks for Go.
    anyOf: [
      [{ command: 'helm' }],
      ...[{ fileFromEnv: 'MEDIA_AI_GO' }, { command: 'go' }, { file: '/usr/lib/go-1.19/bin/go' }, { file: '/usr/lib/go/bin/go' }].map(
        (go): Probe[] => [go, ...HELM_RENDER_SOURCES],
      ),
    ],
    debianPackages: ['golang-1.19', 'golang-github-masterminds-sprig-dev', 'golang-k8s-sigs-yaml-dev'],
    notNeededWhen: { env: 'MEDIA_AI_SKIP_DEPLOY_TESTS', value: '1' },
  },
];

export interface Facts {
  /** Whether a probe holds on this machine. */
  holds(probe: Probe): boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** The projects this run selected; null means every project. */
  projects: ReadonlySet<string> | null;
}

/** The requirements this run needs and this machine does not meet. */
export function missingRequirements(requirements: readonly SystemRequirement[], facts: Facts): SystemRequirement[] {
  return requirements.filter((r) => {
    if (r.notNeededWhen && facts.env[r.notNeededWhen.env] === r.notNeededWhen.value) return false;
    if (facts.projects && !r.projects.some((p) => facts.projects!.has(p))) return false;
    return !r.anyOf.some((probes) => probes.every((probe) => facts.holds(probe)));
  });
}

export interface InstallAbility {
  isRoot: boolean;
  hasAptGet: boolean;
  /** MEDIA_AI_TEST_NO_INSTALL=1: report what is missing, never install. */
  installDisabled: boolean;
}

export type Decision = { action: 'none' } | { action: 'install'; packages: string[] } | { action: 'fail'; lines: string[] };

/** Install what is missing when root with apt-get (and not told otherwise), else fail with one line per tool. */
export function decide(missing: readonly SystemRequirement[], ability: InstallAbility): Decision {
  if (missing.length === 0) return { action: 'none' };
  if (ability.isRoot && ability.hasAptGet && !ability.installDisabled) {
    return { action: 'install', packages: [...new Set(missing.flatMap((r) => r.debianPackages))] };
  }
  return { action: 'fail', lines: missing.map(missingLine) };
}

export function missingLine(requirement: SystemRequirement): string {
  return `npm test needs ${requirement.tool} (${requirement.neededBy}): apt-get install ${requirement.debianPackages.join(' ')}`;
}

// ---------------------------------------------------------------------------------------------
// The machine: probes, and apt-get
// ---------------------------------------------------------------------------------------------

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(command: string, envPath = process.env.PATH ?? ''): boolean {
  return envPath.split(path.delimiter).some((dir) => dir !== '' && isExecutable(path.join(dir, command)));
}

/**
 * Probes the machine. `redisAnswers` is asked once, up front, because it is the only slow one (a TCP
 * round trip); the rest are file-system checks.
 */
export async function machineFacts(projects: ReadonlySet<string> | null, redisAnswers: () => Promise<boolean>): Promise<Facts> {
  const env = process.env;
  const redis = await redisAnswers();
  return {
    env,
    projects,
    holds(probe) {
      if ('command' in probe) return onPath(probe.command);
      if ('file' in probe) return existsSync(probe.file);
      if ('fileFromEnv' in probe) return Boolean(env[probe.fileFromEnv]) && existsSync(env[probe.fileFromEnv]!);
      return redis;
    },
  };
}

export function installAbility(): InstallAbility {
  return {
    isRoot: process.getuid?.() === 0,
    hasAptGet: onPath('apt-get'),
    installDisabled: process.env.MEDIA_AI_TEST_NO_INSTALL === '1',
  };
}

const run = promisify(execFile);

/** `apt-get update` (quiet) then `apt-get install` of the packages; throws with apt's own words on failure. */
export async function aptInstall(packages: readonly string[]): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['update', '-qq'], { env, maxBuffer: 16 * 1024 * 1024 });
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    throw new Error(`apt-get install ${packages.join(' ')} failed: ${stderr.split('\n').slice(-3).join(' ') || (error as Error).message}`);
  }
}

/**
 * Checks the requirements of the selected projects; installs what is missing when it can. Returns
 * the lines to stop the run with (empty when everything is there). `log` gets the one line saying
 * what is installed.
 */
export async function ensureSystemRequirements(options: {
  projects: ReadonlySet<string> | null;
  redisAnswers: () => Promise<boolean>;
  log: (line: string) => void;
  requirements?: readonly SystemRequirement[];
}): Promise<string[]> {
  const requirements = options.requirements ?? SYSTEM_REQUIREMENTS;
  const missing = missingRequirements(requirements, await machineFacts(options.projects, options.redisAnswers));
  const decision = decide(missing, installAbility());
  if (decision.action === 'none') return [];
  if (decision.action === 'fail') return decision.lines;
  options.log(`npm test: installing ${decision.packages.join(' ')} with apt-get (for ${missing.map((r) => r.tool).join(', ')})`);
  try {
    await aptInstall(decision.packages);
  } catch (error) {
    return [(error as Error).message, ...missing.map(missingLine)];
  }
  return missingRequirements(requirements, await machineFacts(options.projects, options.redisAnswers)).map(missingLine);
}
