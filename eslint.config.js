// ESLint for the whole workspace: every project lints `src` and its `package.json` (npm run lint), CI also
// lints `tools`. The boundary rules below are built from the projects' tags (package.json "nx": {"tags"}),
// so a new project needs only its tags, never an edit here. HACKING.md ("Boundaries") says what each
// rule is for; tools/lint/boundaries.test.ts breaks each one on purpose and expects `npm run lint` to fail.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nx from '@nx/eslint-plugin';
import jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** The workspace packages (root package.json "workspaces": folders, or `folder/*`) with their tags. */
function workspaceProjects() {
  const { workspaces } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const roots = workspaces.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(path.join(ROOT, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  );
  return roots
    .filter((root) => existsSync(path.join(ROOT, root, 'package.json')))
    .map((root) => {
      const pkg = JSON.parse(readFileSync(path.join(ROOT, root, 'package.json'), 'utf8'));
      return { root, name: pkg.name, tags: pkg.nx?.tags ?? [] };
    });
}

/** Node modules that reach outside the process: a pure project imports none of them. */
const NODE_IO_MODULES = [
  'fs',
  'fs/promises',
  'net',
  'tls',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'dns/promises',
  'child_process',
  'cluster',
  'worker_threads',
  'inspector',
];
/** npm packages that are adapters to the outside (brokers, stores, clouds, servers, native runtimes). */
const ADAPTER_PACKAGES = [
  'kafkajs',
  '@kafkajs/*',
  'ioredis',
  '@google-cloud/*',
  'openai',
  'fastify',
  '@fastify/*',
  'sharp',
  'onnxruntime-node',
  'tesseract.js',
  'pino',
  'prom-client',
  '@opentelemetry/*',
];
/** Any import into a test-support folder or a package's test-support subpath. */
const TEST_SUPPORT_IMPORT = {
  regex: '(^|/)test-support(/|$)',
  message: 'Test support (stand-ins, fixtures) is for tests, e2e, deploy-checks and tools only, never product code.',
};
const TRANSPORT_IMPORT = {
  regex: '^@media-ai/stream/(transports|in-process)$',
  message: 'A stage never imports a transport: it gets records from the runner and cannot know what carries them.',
};

/** @nx/enforce-module-boundaries: which project may import which, by tags. */
const MODULE_BOUNDARIES = {
  allow: [],
  // The CLI imports the runtime and the stage services lazily to order their loading (tracing before
  // kafkajs), not to split a bundle (nothing is bundled): a lazily imported project may be imported
  // statically elsewhere.
  checkDynamicDependenciesExceptions: ['@media-ai/**'],
  depConstraints: [
    // libs never import a service, the app or test projects.
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
    // A stage uses libs only (no other stage, not the app) and no broker client of its own.
    { sourceTag: 'type:stage', onlyDependOnLibsWithTags: ['type:lib'], bannedExternalImports: ['kafkajs', '@kafkajs/*'] },
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:stage'] },
    { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:lib', 'type:stage', 'type:app'] },
    // Pure projects (enrich, ...) use pure projects and the shared vocabulary, and no adapter package.
    { sourceTag: 'io:pure', onlyDependOnLibsWithTags: ['io:pure', 'concern:contracts'], bannedExternalImports: ADAPTER_PACKAGES },
  ],
};

/**
 * Import restrictions on a project's product code (not its tests nor test-support), from its tags.
 * One config object per project: ESLint does not merge the options of one rule across config objects.
 */
function productImportRules(project) {
  if (project.tags.includes('type:test')) return []; // e2e and deploy-checks are test code through and through.
  const patterns = [TEST_SUPPORT_IMPORT];
  const paths = [];
  if (project.tags.includes('type:stage')) patterns.push(TRANSPORT_IMPORT);
  if (project.tags.includes('io:pure')) {
    for (const name of NODE_IO_MODULES) {
      const message = `${project.name} is pure (io:pure): no I/O, so no ${name}.`;
      paths.push({ name, message }, { name: `node:${name}`, message });
    }
  }
  const rules = { 'no-restricted-imports': ['error', { paths, patterns }] };
  if (project.tags.includes('io:pure')) {
    rules['no-restricted-globals'] = [
      'error',
      ...['fetch', 'WebSocket', 'XMLHttpRequest', 'process'].map((name) => ({
        name,
        message: `${project.name} is pure (io:pure): no ${name}.`,
      })),
    ];
  }
  return [{ files: [`${project.root}/src/**/*.ts`], ignores: ['**/*.test.ts', '**/test-support/**'], rules }];
}

const projects = workspaceProjects();
const typescriptFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.mjs'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.config.ts', 'vitest.base.ts'] },
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: config.files ?? typescriptFiles })),
  {
    files: typescriptFiles,
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through @media-ai/config, not process.env.',
        },
      ],
      // Which project may import which, by tags. Projects outside the graph (tools/, bin/) are not checked.
      '@nx/enforce-module-boundaries': ['error', MODULE_BOUNDARIES],
    },
  },
  ...projects.flatMap(productImportRules),
  {
    // The Dockerfile checks test the generator in tools/docker (not a project) by its path.
    files: ['deploy-checks/src/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', { ...MODULE_BOUNDARIES, allow: ['../../tools/docker/*'] }] },
  },
  {
    files: ['libs/config/**', 'e2e/**', 'tools/**', 'bin/**', '**/*.test.ts', '**/test-support/**', '**/test/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  // Each package declares what its product code imports: @media-ai/* and third-party, in "dependencies",
  // with a range the installed version satisfies. Tests, test-support and vitest.config.ts are not product
  // code (nx.json "production" leaves them out). Projects without a build target (e2e, deploy-checks) are skipped.
  {
    files: ['**/package.json'],
    languageOptions: { parser: jsoncParser },
    plugins: { '@nx': nx },
    rules: {
      '@nx/dependency-checks': [
        'error',
        { buildTargets: ['build'], checkMissingDependencies: true, checkObsoleteDependencies: true, checkVersionMismatches: true },
      ],
    },
  },
  {
    // The review desk page (review-desk/, Preact) is bundled at build time by esbuild, which the
    // service imports only to bundle it when run from source: neither is a runtime dependency.
    files: ['services/pipeline/package.json'],
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          buildTargets: ['build'],
          checkMissingDependencies: true,
          checkObsoleteDependencies: true,
          checkVersionMismatches: true,
          ignoredFiles: ['{projectRoot}/review-desk/**'],
          ignoredDependencies: ['esbuild'],
        },
      ],
    },
  },
);
