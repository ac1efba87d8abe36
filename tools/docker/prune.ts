/**
 * The prune step of every service image (Dockerfile.template): after `nx build`, writes into OUT
 * exactly what the service runs with — the builds (or the package.json `files`, e.g. vision's
 * dist and generated models) and package.json of the workspace projects it imports (per the Nx project graph), the Avro schemas, the `media-ai` CLI (bin/media-ai.js and the
 * pipeline's dist/cli, for the init container's `models` and the hook's `schemas register`), and a
 * package.json + package-lock.json with only its own npm dependencies (@nx/js, as Nx's
 * generatePackageJson does) — then installs those without dev dependencies and links the
 * workspace packages into node_modules/@media-ai.
 *
 * Usage (in the image's build stage, from the repository root):
 *   node --import tsx tools/docker/prune.ts <nx-project> <out-dir> [--no-install]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
import { createLockFile, createPackageJson } from '@nx/js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI_PROJECT = '@media-ai/pipeline';

export interface WorkspacePackage {
  name: string;
  /** Folder relative to the repository root, e.g. libs/vision. */
  root: string;
}

export interface ImagePlan {
  project: string;
  /** The project and every workspace project it imports, directly or not. */
  packages: WorkspacePackage[];
  /** Repository-relative files and folders copied into the image, in order. */
  copies: string[];
  /** The image's root package.json: its npm dependencies only. */
  packageJson: { name: string; version: string; private: true; type: 'module'; dependencies: Record<string, string> };
}

/** Workspace projects `project` depends on (itself included), following static and dynamic imports. */
export function workspaceClosure(project: string, graph: ProjectGraph): WorkspacePackage[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !graph.nodes[name]) return;
    seen.add(name);
    for (const dep of graph.dependencies[name] ?? []) visit(dep.target);
  };
  visit(project);
  return [...seen].sort().map((name) => ({ name, root: graph.nodes[name]!.data.root }));
}

export function planImage(project: string, graph: ProjectGraph): ImagePlan {
  if (!graph.nodes[project]) throw new Error(`${project} is not a project of this workspace`);
  const packages = workspaceClosure(project, graph);
  const copies = ['package.json', 'schemas', 'bin/media-ai.js'];
  for (const pkg of packages) copies.push(`${pkg.root}/package.json`, ...runtimeFolders(pkg.root));
  if (!packages.some((p) => p.name === CLI_PROJECT)) {
    // The CLI's entry and commands only; each command loads its own code when it runs.
    const cli = graph.nodes[CLI_PROJECT]!.data.root;
    copies.push(`${cli}/package.json`, `${cli}/dist/cli`);
  }
  const generated = createPackageJson(project, graph, { isProduction: true, root: REPO_ROOT }) as {
    version?: string;
    dependencies?: Record<string, string>;
  };
  const packageJson = {
    name: `media-ai-image-${project.replace(/^@media-ai\//, '')}`,
    version: generated.version ?? '0.0.0',
    private: true as const,
    type: 'module' as const,
    // Workspace packages (which each package.json declares) are copied and linked, never installed.
    dependencies: Object.fromEntries(
      Object.entries(generated.dependencies ?? {})
        .filter(([name]) => !graph.nodes[name])
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
  return { project, packages, copies, packageJson };
}

/**
 * What of a workspace package the image needs besides its package.json: its `files` (npm's own
 * list of what a package ships), else just dist. @media-ai/vision lists `models` there: the NanoDet
 * ONNX it builds and loads from the package folder at run time.
 */
export function runtimeFolders(root: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, root, 'package.json'), 'utf8')) as { files?: string[] };
  return (manifest.files ?? ['dist']).map((entry) => `${root}/${entry.replace(/\/+$/, '')}`);
}

export async function workspaceGraph(): Promise<ProjectGraph> {
  process.env.NX_DAEMON ??= 'false';
  process.env.NX_NO_CLOUD ??= 'true';
  return createProjectGraphAsync({ exitOnError: true });
}

function writeImage(plan: ImagePlan, graph: ProjectGraph, out: string, install: boolean): void {
  mkdirSync(out, { recursive: true });
  for (const entry of plan.copies) {
    const from = path.join(REPO_ROOT, entry);
    if (!existsSync(from)) throw new Error(`${entry} is missing: build ${plan.project} first (nx run-many -t build)`);
    // The root package.json is replaced by the image's own below.
    if (entry === 'package.json') continue;
    cpSync(from, path.join(out, entry), { recursive: true, filter: (src) => !/\.(test\.(js|d\.ts)|tsbuildinfo)$|\.map$/.test(src) });
  }
  writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(plan.packageJson, null, 2)}\n`);
  writeFileSync(path.join(out, 'package-lock.json'), createLockFile(plan.packageJson, graph, 'npm'));
  if (install) {
    execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: out, stdio: 'inherit' });
    dropForeignBinaries(out);
  }
  // Workspace packages resolve by name (their package.json exports point at dist/).
  const scope = path.join(out, 'node_modules/@media-ai');
  mkdirSync(scope, { recursive: true });
  const linked = [...plan.packages];
  if (!linked.some((p) => p.name === CLI_PROJECT)) linked.push({ name: CLI_PROJECT, root: graph.nodes[CLI_PROJECT]!.data.root });
  for (const pkg of linked) {
    const link = path.join(out, 'node_modules', pkg.name);
    if (!existsSync(link)) symlinkSync(path.relative(path.dirname(link), path.join(out, pkg.root)), link, 'dir');
  }
}

/** onnxruntime-node ships native builds for every platform (~220 MB the image never loads): keep this one's. */
export function dropForeignBinaries(out: string): void {
  const root = path.join(out, 'node_modules/onnxruntime-node/bin');
  if (!existsSync(root)) return;
  for (const napi of readdirSync(root)) {
    for (const platform of readdirSync(path.join(root, napi))) {
      const platformDir = path.join(root, napi, platform);
      if (platform !== process.platform) {
        rmSync(platformDir, { recursive: true, force: true });
        continue;
      }
      for (const arch of readdirSync(platformDir)) {
        if (arch !== process.arch) rmSync(path.join(platformDir, arch), { recursive: true, force: true });
      }
    }
  }
}

async function main(argv: string[]): Promise<void> {
  const [project, out, ...flags] = argv;
  if (!project || !out) {
    process.stderr.write('usage: node --import tsx tools/docker/prune.ts <nx-project> <out-dir> [--no-install]\n');
    process.exit(2);
  }
  const graph = await workspaceGraph();
  const plan = planImage(project, graph);
  writeImage(plan, graph, path.resolve(out), !flags.includes('--no-install'));
  process.stdout.write(
    `${project}: ${plan.packages.length} workspace packages, ${Object.keys(plan.packageJson.dependencies).length} npm dependencies -> ${out}\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
