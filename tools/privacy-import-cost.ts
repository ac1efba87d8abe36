// `node --conditions=development --import tsx tools/privacy-import-cost.ts [--runs 5]`
// Cold import cost of @media-ai/privacy and of each library it is built on (a stage imports it at
// start-up): each import runs in a fresh plain `node` process (no tsx, and V8's young generation at
// 4 MB a semi-space, as every media-ai process runs: without it RSS also counts the 16 MB
// semi-spaces the import's garbage grew), `--runs`
// times; prints the median wall time of the import and the growth of RSS and of the V8 heap it
// caused, and for @media-ai/privacy (built first into libs/privacy/dist, as images ship it) the
// time of a first and of a warm redaction of a passport page.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PRIVACY_DIST = fileURLToPath(new URL('../libs/privacy/dist/index.js', import.meta.url));
const MODULES = [
  'libphonenumber-js/max',
  'mrz',
  'chrono-node',
  'compromise',
  'addressit',
  'ibantools',
  'card-validator',
  'i18n-iso-countries',
  PRIVACY_DIST,
];

// Runs in the child (plain node, ESM): import, measure, redact.
const CHILD = `
const name = process.argv[1];
global.gc();
const before = process.memoryUsage();
let t = performance.now();
const mod = await import(name);
const ms = performance.now() - t;
global.gc();
const after = process.memoryUsage();
let firstMs = 0, warmMs = 0;
if (typeof mod.redactPersonalData === 'function') {
  const page = 'PASSPORT/PASSEPORT\\nSurname/NomERIKSSON\\nGivennames/PrénomsANNAMARIA\\nDateofbirth/Datedenaissance12AUG/AOÛT74\\n' +
    'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
  t = performance.now(); mod.redactPersonalData(page); firstMs = performance.now() - t;
  t = performance.now(); for (let i = 0; i < 10; i++) mod.redactPersonalData(page + '\\n' + i); warmMs = (performance.now() - t) / 10;
}
const mb = (n) => Math.round((n / 2 ** 20) * 10) / 10;
console.log('@@' + JSON.stringify({ ms, rss: mb(after.rss - before.rss), heap: mb(after.heapUsed - before.heapUsed), firstMs, warmMs }));
`;

const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;

const build = spawnSync('npx', ['tsc', '-p', 'libs/privacy/tsconfig.lib.json'], { cwd: ROOT, encoding: 'utf8' });
if (build.status !== 0) {
  console.error(`building libs/privacy failed:\n${build.stdout}${build.stderr}`);
  process.exit(1);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
console.log(`cold import, median of ${runs} fresh processes (Node ${process.version})`);
console.log('module                      import ms   RSS +MiB   heap +MiB   first redaction ms   warm redaction ms');
for (const name of MODULES) {
  const samples: Array<{ ms: number; rss: number; heap: number; firstMs: number; warmMs: number }> = [];
  for (let i = 0; i < runs; i++) {
    const out = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=4', '--input-type=module', '-e', CHILD, name], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const line = out.stdout.split('\n').find((l) => l.startsWith('@@'));
    if (!line) {
      console.log(`${name}: failed\n${out.stderr}`);
      break;
    }
    samples.push(JSON.parse(line.slice(2)));
  }
  if (!samples.length) continue;
  const m = (k: keyof (typeof samples)[number]): string => median(samples.map((s) => s[k])).toFixed(1);
  const isPrivacy = name === PRIVACY_DIST;
  const redaction = isPrivacy ? `${m('firstMs').padStart(21)}${m('warmMs').padStart(20)}` : '';
  console.log(
    `${(isPrivacy ? '@media-ai/privacy (dist)' : name).padEnd(26)}${m('ms').padStart(11)}${m('rss').padStart(11)}${m('heap').padStart(12)}${redaction}`,
  );
}
