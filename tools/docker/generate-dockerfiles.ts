/**
 * `npm run docker:generate`: writes one Dockerfile per service (services/<service>/Dockerfile, plus
 * services/detector/Dockerfile.cuda for GPU nodes) from Dockerfile.template at the repository root.
 * `--check` writes nothing and exits 1 when a generated file is out of date (the deploy checks run
 * the same comparison). The template is the only thing to edit.
 *
 * Template syntax: {{NAME}} placeholders, and `{{#cuda}}` / `{{^cuda}}` ... `{{/cuda}}` lines around
 * blocks kept only in (or only out of) the CUDA variant.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TEMPLATE = 'Dockerfile.template';
/** Services that also get a CUDA image: the ones that run ONNX models worth a GPU. */
export const CUDA_SERVICES = ['detector'] as const;
/** The chart's image names: <image.prefix><service>, tag <version>[-cuda]. */
export const IMAGE_PREFIX = 'media-ai-';

export interface DockerfileSpec {
  /** Folder name under services/, e.g. detector. */
  service: string;
  /** The Nx project (package name), e.g. @media-ai/detector-service. */
  project: string;
  variant: 'cpu' | 'cuda';
  /** Repository-relative path of the generated file. */
  path: string;
  image: string;
  cmd: string[];
}

export function dockerfileSpecs(root = REPO_ROOT): DockerfileSpec[] {
  const specs: DockerfileSpec[] = [];
  for (const service of readdirSync(path.join(root, 'services')).sort()) {
    const manifest = path.join(root, 'services', service, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name: project } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
    // A stage service has its own entry point; the pipeline (every stage in one process) is served by the CLI.
    const cmd = existsSync(path.join(root, 'services', service, 'src/main.ts'))
      ? ['node', `services/${service}/dist/main.js`]
      : ['node', 'bin/media-ai.js', 'serve'];
    specs.push({ service, project, variant: 'cpu', path: `services/${service}/Dockerfile`, image: `${IMAGE_PREFIX}${service}`, cmd });
    if ((CUDA_SERVICES as readonly string[]).includes(service)) {
      specs.push({
        service,
        project,
        variant: 'cuda',
        path: `services/${service}/Dockerfile.cuda`,
        image: `${IMAGE_PREFIX}${service}:<version>-cuda`,
        cmd,
      });
    }
  }
  return specs;
}

/** Keeps or drops `{{#cuda}}` / `{{^cuda}}` blocks, then fills the placeholders. */
export function renderTemplate(template: string, flags: Record<string, boolean>, values: Record<string, string>): string {
  const out: string[] = [];
  const stack: boolean[] = [];
  for (const line of template.split('\n')) {
    const open = /^\{\{([#^])(\w+)\}\}$/.exec(line.trim());
    const close = /^\{\{\/(\w+)\}\}$/.exec(line.trim());
    if (open) {
      const on = Boolean(flags[open[2]!]);
      stack.push(open[1] === '#' ? on : !on);
    } else if (close) {
      if (stack.pop() === undefined) throw new Error(`${TEMPLATE}: {{/${close[1]}}} without an opening block`);
    } else if (stack.every(Boolean)) {
      out.push(line);
    }
  }
  if (stack.length > 0) throw new Error(`${TEMPLATE}: unclosed block`);
  const text = out.join('\n').replace(/\{\{(\w+)\}\}/g, (whole, key: string) => {
    if (!(key in values)) throw new Error(`${TEMPLATE}: no value for ${whole}`);
    return values[key]!;
  });
  return text;
}

export function renderDockerfile(template: string, spec: DockerfileSpec): string {
  const cuda = spec.variant === 'cuda';
  return renderTemplate(
    template,
    { cuda },
    {
      HEADER: `GENERATED from ${TEMPLATE} by \`npm run docker:generate\` for ${spec.project}${cuda ? ' (CUDA variant)' : ''}. Do not edit.`,
      DOCKERFILE: spec.path,
      IMAGE: cuda ? `${IMAGE_PREFIX}${spec.service}:<version>-cuda` : `${IMAGE_PREFIX}${spec.service}:<version>`,
      PROJECT: spec.project,
      BUILD_PROJECTS: [...new Set([spec.project, '@media-ai/pipeline'])].join(' '),
      CMD: JSON.stringify(spec.cmd).replace(/","/g, '", "'),
    },
  );
}

/** Every generated file's path and content. */
export function generatedDockerfiles(root = REPO_ROOT): Map<string, string> {
  const template = readFileSync(path.join(root, TEMPLATE), 'utf8');
  return new Map(dockerfileSpecs(root).map((spec) => [spec.path, renderDockerfile(template, spec)]));
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  let stale = 0;
  for (const [file, content] of generatedDockerfiles()) {
    const target = path.join(REPO_ROOT, file);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : null;
    if (current === content) continue;
    stale += 1;
    if (check) process.stderr.write(`${file} is out of date: run npm run docker:generate\n`);
    else {
      writeFileSync(target, content);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  if (!check && stale === 0) process.stdout.write('every Dockerfile is up to date\n');
  return check && stale > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
