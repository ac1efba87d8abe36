// The boundary rules break when they should: the repository's own eslint.config.js, through the ESLint
// Node API, lints the fixtures in ./fixtures as if they sat in a stage, in enrich, in a lib or in other
// product code (lintText with that path: nothing is written into a project, so `npm run lint` of the
// projects never sees them), and each must fail with the rule that guards it; a clean fixture and the
// real package.json files must pass. What fails here fails `npm run lint`: every project's lint target
// is `eslint src package.json` with this same configuration.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { workspaceGraph } from '../docker/prune.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

let eslint: ESLint;

beforeAll(async () => {
  // @nx/enforce-module-boundaries and @nx/dependency-checks read the cached project graph and skip
  // (with a warning, no error) when there is none: compute it first, as `nx run-many -t lint` does.
  await workspaceGraph();
  eslint = new ESLint({ cwd: ROOT });
});

/** Lints a fixture as if it were the file at `asIf` (repository-relative). */
async function lintAs(fixture: string, asIf: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(readFileSync(path.join(FIXTURES, fixture), 'utf8'), { filePath: path.join(ROOT, asIf) });
  return result!.messages;
}

/** Lints package.json text as the package.json of `project`. */
async function lintPackageJson(project: string, edit: (pkg: Record<string, unknown>) => void): Promise<Linter.LintMessage[]> {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, project, 'package.json'), 'utf8')) as Record<string, unknown>;
  edit(pkg);
  const [result] = await eslint.lintText(`${JSON.stringify(pkg, null, 2)}\n`, { filePath: path.join(ROOT, project, 'package.json') });
  return result!.messages;
}

const errors = (messages: Linter.LintMessage[]) =>
  messages.filter((m) => m.severity === 2).map((m) => ({ rule: m.ruleId, message: m.message }));

describe('stages never import a transport', () => {
  it('refuses @media-ai/stream/transports in a stage', async () => {
    expect(errors(await lintAs('stage-imports-transport.ts', 'services/ocr/src/boundary-fixture.ts'))).toEqual([
      { rule: 'no-restricted-imports', message: expect.stringContaining('A stage never imports a transport') },
    ]);
  });

  it('refuses @media-ai/stream/in-process (the in-process transport alone) in a stage', async () => {
    expect(errors(await lintAs('stage-imports-in-process-transport.ts', 'services/detector/src/boundary-fixture.ts'))).toEqual([
      { rule: 'no-restricted-imports', message: expect.stringContaining('A stage never imports a transport') },
    ]);
  });

  it('refuses a Kafka client of its own', async () => {
    expect(errors(await lintAs('stage-imports-broker-client.ts', 'services/fetcher/src/boundary-fixture.ts'))).toEqual([
      { rule: '@nx/enforce-module-boundaries', message: 'A project tagged with "type:stage" is not allowed to import "kafkajs"' },
    ]);
  });

  it('refuses another stage', async () => {
    expect(errors(await lintAs('stage-imports-stage.ts', 'services/ocr/src/boundary-fixture.ts'))).toEqual([
      {
        rule: '@nx/enforce-module-boundaries',
        message: 'A project tagged with "type:stage" can only depend on libs tagged with "type:lib"',
      },
    ]);
  });

  it('lets a stage import the Stage contract, contracts and libs', async () => {
    expect(await lintAs('stage-clean.ts', 'services/ocr/src/boundary-fixture.ts')).toEqual([]);
  });

  it('lets hosts and tests import transports', async () => {
    expect(errors(await lintAs('stage-imports-transport.ts', 'services/pipeline/src/embedded/boundary-fixture.ts'))).toEqual([]);
    expect(errors(await lintAs('stage-imports-transport.ts', 'libs/runtime/src/boundary-fixture.ts'))).toEqual([]);
    expect(errors(await lintAs('stage-imports-transport.ts', 'services/llm/src/boundary-fixture.test.ts'))).toEqual([]);
  });
});

describe('enrich never does I/O', () => {
  it('refuses node:fs (and the other I/O modules)', async () => {
    expect(errors(await lintAs('pure-reads-file.ts', 'libs/enrich/src/boundary-fixture.ts'))).toEqual([
      { rule: 'no-restricted-imports', message: expect.stringContaining('@media-ai/enrich is pure (io:pure): no I/O, so no fs') },
    ]);
  });

  it('refuses fetch', async () => {
    expect(errors(await lintAs('pure-fetches.ts', 'libs/enrich/src/boundary-fixture.ts'))).toEqual([
      { rule: 'no-restricted-globals', message: expect.stringContaining('@media-ai/enrich is pure (io:pure): no fetch') },
    ]);
  });

  it('refuses adapter packages', async () => {
    expect(errors(await lintAs('pure-imports-adapter.ts', 'libs/enrich/src/boundary-fixture.ts'))).toEqual([
      { rule: '@nx/enforce-module-boundaries', message: 'A project tagged with "io:pure" is not allowed to import "sharp"' },
    ]);
  });

  it('refuses libs that are not pure', async () => {
    expect(errors(await lintAs('pure-imports-impure-lib.ts', 'libs/enrich/src/boundary-fixture.ts'))).toEqual([
      {
        rule: '@nx/enforce-module-boundaries',
        message: 'A project tagged with "io:pure" can only depend on libs tagged with "io:pure", "concern:contracts"',
      },
    ]);
  });

  it('holds for product code only: other libs and enrich tests may read files', async () => {
    expect(errors(await lintAs('pure-reads-file.ts', 'libs/vision/src/boundary-fixture.ts'))).toEqual([]);
    expect(errors(await lintAs('pure-reads-file.ts', 'libs/enrich/src/boundary-fixture.test.ts'))).toEqual([]);
  });
});

describe('libs never import services', () => {
  // vision, because the aggregator does not depend on it: for a lib the service depends on, the
  // circular dependency is reported first (also an error, but not this rule's message).
  it('refuses a service in a lib', async () => {
    expect(errors(await lintAs('lib-imports-service.ts', 'libs/vision/src/boundary-fixture.ts'))).toEqual([
      { rule: '@nx/enforce-module-boundaries', message: 'A project tagged with "type:lib" can only depend on libs tagged with "type:lib"' },
    ]);
  });

  it('refuses another project reached by a relative path', async () => {
    expect(errors(await lintAs('lib-imports-other-lib-by-path.ts', 'libs/enrich/src/boundary-fixture.ts'))).toEqual([
      {
        rule: '@nx/enforce-module-boundaries',
        message: 'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
      },
    ]);
  });
});

describe('test-support is never imported by product code', () => {
  it("refuses a package's test-support subpath in product code", async () => {
    expect(errors(await lintAs('product-imports-test-support.ts', 'services/pipeline/src/cli/boundary-fixture.ts'))).toEqual([
      { rule: 'no-restricted-imports', message: expect.stringContaining('Test support (stand-ins, fixtures) is for tests') },
    ]);
  });

  it("refuses the project's own test-support folder in product code", async () => {
    expect(errors(await lintAs('product-imports-own-test-support.ts', 'services/ocr/src/boundary-fixture.ts'))).toEqual([
      { rule: 'no-restricted-imports', message: expect.stringContaining('Test support (stand-ins, fixtures) is for tests') },
    ]);
  });

  it('lets tests, test-support, e2e and tools import it', async () => {
    for (const asIf of [
      'services/pipeline/src/cli/boundary-fixture.test.ts',
      'services/pipeline/src/test-support/boundary-fixture.ts',
      'e2e/src/support/boundary-fixture.ts',
      'tools/quality/boundary-fixture.ts',
    ]) {
      expect(errors(await lintAs('product-imports-test-support.ts', asIf)), asIf).toEqual([]);
    }
  });
});

describe('each package declares its dependencies', () => {
  it('passes the real package.json files', async () => {
    for (const project of ['libs/enrich', 'libs/ocr', 'services/ocr', 'services/pipeline']) {
      expect(errors(await lintPackageJson(project, () => {})), project).toEqual([]);
    }
  });

  it('refuses a package.json missing a workspace or third-party dependency its code imports', async () => {
    const messages = await lintPackageJson('libs/ocr', (pkg) => {
      const dependencies = pkg['dependencies'] as Record<string, string>;
      delete dependencies['@media-ai/contracts'];
      delete dependencies['sharp'];
    });
    expect(errors(messages)).toEqual([{ rule: '@nx/dependency-checks', message: expect.stringContaining('missing from "dependencies"') }]);
    expect(messages[0]!.message).toContain('@media-ai/contracts');
    expect(messages[0]!.message).toContain('sharp');
  });

  it('refuses a dependency nothing imports, and a range the installed version does not satisfy', async () => {
    const messages = await lintPackageJson('libs/enrich', (pkg) => {
      pkg['dependencies'] = { ...(pkg['dependencies'] as Record<string, string>), zod: '^4.6.7' };
    });
    expect(errors(messages)).toEqual([
      { rule: '@nx/dependency-checks', message: 'The "zod" package is not used by "@media-ai/enrich" project.' },
    ]);
    const mismatch = await lintPackageJson('libs/config', (pkg) => {
      (pkg['dependencies'] as Record<string, string>)['zod'] = '^3.0.0';
    });
    expect(errors(mismatch)).toEqual([
      {
        rule: '@nx/dependency-checks',
        message: expect.stringContaining('The version specifier does not contain the installed version of "zod"'),
      },
    ]);
  });
});

describe('npm run lint', () => {
  it('exits non-zero on a boundary error, as every project lint target does', () => {
    // The ESLint CLI with the repository's configuration, the fixture on stdin as a stage file.
    const eslintBin = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
    const run = spawnSync(process.execPath, [eslintBin, '--stdin', '--stdin-filename', 'services/ocr/src/boundary-fixture.ts'], {
      cwd: ROOT,
      input: readFileSync(path.join(FIXTURES, 'stage-imports-transport.ts')),
      encoding: 'utf8',
    });
    expect(run.stdout).toContain('A stage never imports a transport');
    expect(run.status).toBe(1);
  });
});
