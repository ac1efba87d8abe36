/**
 * Vitest global set-up that runs first: checks the system tools the selected test projects need
 * (system-requirements.ts). What is missing is installed with apt-get when the run is root;
 * otherwise the run stops here, within seconds, with one line per missing tool, instead of a
 * cascade of failing tests. It must never start a test run that is bound to fail for want of a tool.
 */
import type { TestProject } from 'vitest/node';
import { answers, configuredRedisUrl } from './redis-url.js';
import { ensureSystemRequirements } from './system-requirements.js';

export default async function setup(project: TestProject): Promise<void> {
  const lines = await ensureSystemRequirements({
    projects: new Set(project.vitest.projects.map((p) => p.name)),
    redisAnswers: () => answers(configuredRedisUrl()),
    log: (line) => console.log(line),
  });
  if (lines.length === 0) return;
  // Exit rather than throw: vitest would report a throwing set-up as "No test files found" followed by
  // an unhandled error. Nothing has started yet (this set-up runs first), so there is nothing to stop.
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}
