/**
 * Renders the Helm chart for a value set: with a real `helm template` when helm is on PATH, else
 * with tools/helm-render (Go's text/template + sprig v3 + sigs.k8s.io/yaml, Helm's own libraries),
 * compiled here with Debian's packaged Go sources. Never reaches a cluster or the network.
 *
 * Missing Go is an error, not a skip: CI must install it (see MISSING_GO). Only
 * MEDIA_AI_SKIP_DEPLOY_TESTS=1 skips the chart tests, on purpose and visibly.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CHART_DIR = path.join(REPO_ROOT, 'charts/media-ai');
const RENDERER_SOURCE = path.join(REPO_ROOT, 'tools/helm-render');
/** Where Debian's golang-*-dev packages put their sources (GOPATH mode, no module download). */
const DEBIAN_GOPATH = '/usr/share/gocode';

export const SKIP_REASON =
  process.env.MEDIA_AI_SKIP_DEPLOY_TESTS === '1' ? 'MEDIA_AI_SKIP_DEPLOY_TESTS=1: the chart is not rendered or checked in this run' : null;

export const APT_LINE = 'apt-get install -y golang-1.19 golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev';
const MISSING_GO = (what: string) =>
  `${what}. The chart tests render charts/media-ai with tools/helm-render, built from Debian's Go and sprig ` +
  `(${APT_LINE}), or with a real helm on PATH. Install one, or set MEDIA_AI_SKIP_DEPLOY_TESTS=1 to skip these tests on purpose.`;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface Manifest {
  /** The template it came from, e.g. media-ai/templates/deployment.yaml. */
  source: string;
  object: K8sObject;
}

export interface RenderRequest {
  /** Values files, later ones winning (helm -f). */
  valueFiles?: string[];
  /** Values given inline (written to a temporary file, applied last). */
  values?: Record<string, unknown>;
  releaseName?: string;
  namespace?: string;
  /** API versions beyond the built-in ones (CRDs such as keda.sh/v1alpha1). */
  apiVersions?: string[];
  kubeVersion?: string;
}

export interface Rendered {
  manifests: Manifest[];
  /** The rendered NOTES.txt (helm-render only; `helm template` does not print it). */
  notes: string | null;
}

export interface ChartRenderer {
  /** 'helm' or 'helm-render'. */
  readonly name: string;
  render(request: RenderRequest): Promise<Rendered>;
}

/** Thrown when rendering fails: the message is what helm (or helm-render) said. */
export class RenderError extends Error {}

async function onPath(command: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, command))) return path.join(dir, command);
  }
  return null;
}

async function findGo(): Promise<string | null> {
  if (process.env.MEDIA_AI_GO) return existsSync(process.env.MEDIA_AI_GO) ? process.env.MEDIA_AI_GO : null;
  return (
    (await onPath('go')) ?? ['/usr/lib/go-1.19/bin/go', '/usr/lib/go/bin/go', '/usr/local/go/bin/go'].find((p) => existsSync(p)) ?? null
  );
}

/** Compiles tools/helm-render once per source version into the temp dir; returns the binary. */
export async function buildHelmRender(): Promise<string> {
  const go = await findGo();
  if (!go) throw new Error(MISSING_GO('Go is not installed (no `go` on PATH, no /usr/lib/go-1.19/bin/go)'));
  for (const pkg of ['github.com/Masterminds/sprig', 'sigs.k8s.io/yaml']) {
    if (!existsSync(path.join(DEBIAN_GOPATH, 'src', pkg))) throw new Error(MISSING_GO(`The Go package ${pkg} is not in ${DEBIAN_GOPATH}`));
  }
  const source = await readFile(path.join(RENDERER_SOURCE, 'main.go'));
  const version = createHash('sha256').update(source).update(go).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `media-ai-helm-render-${version}`);
  const binary = path.join(dir, 'helm-render');
  if (existsSync(binary)) return binary;
  await mkdir(dir, { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  try {
    await run(go, ['build', '-o', partial, '.'], {
      cwd: RENDERER_SOURCE,
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOPATH: DEBIAN_GOPATH,
        GOFLAGS: '',
        GOCACHE: process.env.GOCACHE ?? path.join(os.tmpdir(), 'media-ai-go-build-cache'),
        // Nothing to download in GOPATH mode; make sure nothing tries.
        GOPROXY: 'off',
      },
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`go build of tools/helm-render failed:\n${stderr || (error as Error).message}`);
  }
  await rename(partial, binary);
  return binary;
}

/** helm when it is on PATH (MEDIA_AI_RENDERER=helm-render forces the Go renderer), else helm-render. */
export async function chartRenderer(): Promise<ChartRenderer> {
  const helm = process.env.MEDIA_AI_RENDERER === 'helm-render' ? null : await onPath('helm');
  if (helm) return { name: 'helm', render: (request) => renderWith(helm, 'helm', request) };
  const binary = await buildHelmRender();
  return { name: 'helm-render', render: (request) => renderWith(binary, 'helm-render', request) };
}

async function renderWith(binary: string, kind: 'helm' | 'helm-render', request: RenderRequest): Promise<Rendered> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'media-ai-chart-'));
  try {
    const files = [...(request.valueFiles ?? [])];
    if (request.values) {
      const inline = path.join(scratch, 'inline-values.json');
      await writeFile(inline, JSON.stringify(request.values));
      files.push(inline);
    }
    const name = request.releaseName ?? 'media-ai';
    const common = [
      '--namespace',
      request.namespace ?? 'media-ai',
      '--kube-version',
      request.kubeVersion ?? 'v1.30.0',
      ...files.flatMap((f) => ['-f', f]),
      ...(request.apiVersions ?? []).flatMap((v) => ['--api-versions', v]),
    ];
    const notesFile = path.join(scratch, 'NOTES.txt');
    const args =
      kind === 'helm'
        ? ['template', name, CHART_DIR, ...common]
        : ['--name', name, '--strict', '--notes-out', notesFile, ...common, CHART_DIR];
    let stdout: string;
    try {
      ({ stdout } = await run(binary, args, { maxBuffer: 64 * 1024 * 1024 }));
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
      throw new RenderError(stderr);
    }
    return { manifests: parseManifests(stdout), notes: existsSync(notesFile) ? await readFile(notesFile, 'utf8') : null };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** `helm template` output: documents separated by "---", each after a "# Source: <template>" line. */
export function parseManifests(stream: string): Manifest[] {
  const manifests: Manifest[] = [];
  for (const chunk of stream.split(/^---[ \t]*$/m)) {
    if (!chunk.trim()) continue;
    const source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim() ?? '(unknown)';
    // Strict YAML: a duplicate key (which kubectl would reject) fails here too.
    const object = parse(chunk, { uniqueKeys: true, strict: true }) as K8sObject | null;
    if (object === null) continue;
    manifests.push({ source, object });
  }
  return manifests;
}
