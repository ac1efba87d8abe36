/**
 * `node --import tsx tools/test/system-requirements-cli.ts`: what .ci/run calls before the tests.
 * Checks every entry of the system requirements table (all test projects), installs what is
 * missing with apt-get when root, and exits 1 with one line per tool it could not provide.
 * `--list` prints every Debian package of the table instead, one line, and changes nothing.
 */
import { answers, configuredRedisUrl } from './redis-url.js';
import { SYSTEM_REQUIREMENTS, ensureSystemRequirements } from './system-requirements.js';

if (process.argv.includes('--list')) {
  process.stdout.write(`${[...new Set(SYSTEM_REQUIREMENTS.flatMap((r) => r.debianPackages))].join(' ')}\n`);
} else {
  const lines = await ensureSystemRequirements({
    projects: null,
    redisAnswers: () => answers(configuredRedisUrl()),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  if (lines.length > 0) {
    process.stderr.write(`${lines.join('\n')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`system requirements met: ${SYSTEM_REQUIREMENTS.map((r) => r.tool).join(', ')}\n`);
  }
}
