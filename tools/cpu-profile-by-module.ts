// `node --import tsx tools/cpu-profile-by-module.ts <file.cpuprofile> [--window START END] [--photos N] [--top K]`:
// the main thread's JS time in a V8 CPU profile (node --cpu-prof), self time summed by where the code
// lives: a workspace file (libs/<x>/src/..., services/<x>/src/...), an npm package (avsc, ioredis,
// @opentelemetry/*, prom-client, zod, sharp's JS, onnxruntime-node's JS: the native run itself is
// the sample's self time in its JS caller), Node's internals, the garbage collector, the idle loop.
// --window cuts the profile to the µs window tools/pipeline-cpu-by-thread.ts prints, --photos
// divides by the photos in that window, --under NAME keeps the samples with that function on their
// stack, --functions adds a table by function. Samples, not a clock: printed, never asserted.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    window: { type: 'string', multiple: false },
    photos: { type: 'string' },
    top: { type: 'string', default: '30' },
    functions: { type: 'boolean', default: false },
    under: { type: 'string' },
  },
});
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: tools/cpu-profile-by-module.ts <file.cpuprofile> [--window START END] [--photos N]\n');
  process.exit(2);
}
// --window START END: the end arrives as the second positional.
const windowStart = values.window === undefined ? -Infinity : Number(values.window);
const windowEnd = values.window === undefined ? Infinity : Number(positionals[1]);
const photos = Number(values.photos ?? '1');

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
/** --under NAME: only samples with a frame of that function name on their stack (a stage's handleBatch, say). */
function isUnder(id: number, name: string): boolean {
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at))
    if (byId.get(at)!.callFrame.functionName === name) return true;
  return false;
}

/** Where a frame's code lives, coarse enough to read as a table. */
function placeOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const workspace = /\/((?:libs|services|tools)\/[^/]+)\/(?:src\/)?(.*)$/.exec(url);
  if (workspace) return `${workspace[1]}/${workspace[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

const selfUs = new Map<string, number>();
const fnUs = new Map<string, number>();
let t = profile.startTime;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i]!;
  if (t < windowStart || t > windowEnd) continue;
  // A sample's time is the delta to the next one (V8's own convention in DevTools).
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const node = byId.get(profile.samples[i]!)!;
  if (values.under !== undefined && !isUnder(node.id, values.under)) continue;
  const place = placeOf(node);
  selfUs.set(place, (selfUs.get(place) ?? 0) + dt);
  const fn = `${place} ${node.callFrame.functionName || '(anonymous)'}`;
  fnUs.set(fn, (fnUs.get(fn) ?? 0) + dt);
  total += dt;
}
const top = Number(values.top);
const print = (title: string, rows: Map<string, number>): void => {
  process.stdout.write(`${title.padEnd(70)} ms/photo   share\n`);
  for (const [name, us] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(
      `${name.slice(0, 70).padEnd(70)} ${(us / 1000 / photos).toFixed(1).padStart(8)} ${((us / total) * 100).toFixed(1).padStart(6)} %\n`,
    );
  }
};
process.stdout.write(`main-thread samples in window: ${(total / 1000 / photos).toFixed(1)} ms per photo (${photos} photos)\n`);
print('where (self time)', selfUs);
if (values.functions) print('function (self time)', fnUs);
