/**
 * `npm run soak`: does memory come back? Starts `media-ai serve` on loopback (served-process.ts, as the
 * stress test does; SCAN_FOR_MALWARE=false so only media-ai's own memory is measured), then runs rounds:
 * N analyses of photos the server has never seen (fresh-photos.ts: no result-cache hit), one at a time,
 * then an idle pause. After each round's pause it prints the server's RSS (/proc/<pid>/status VmRSS) and
 * JS heap (nodejs_heap_size_used_bytes from /metrics), and at the end one line
 * `rounds=… rss_first_mb=… rss_last_mb=… growth=…` (growth of the last round's RSS over the first's).
 * Figures only, never a pass/fail.
 *
 *   npm run soak [-- --rounds 10 --photos-per-round 12 --idle 30 --minutes N --photos <folder>]
 *
 * --minutes stops starting new rounds once that much time has passed (the round in progress finishes).
 * Extra environment for the server (to compare a native-memory lever): MEDIA_AI_SOAK_ENV='K=V K2=V2'.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PHOTOS, freshVariants, multipartPhoto, sourcePhotos } from '../load/fresh-photos.js';
import { loadAverage, machineLine } from '../load/report.js';
import { measureAgainstServe, processMemory } from '../load/served-process.js';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: DEFAULT_PHOTOS },
    rounds: { type: 'string', default: '10' },
    'photos-per-round': { type: 'string', default: '12' },
    idle: { type: 'string', default: '30' },
    minutes: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const perRound = Number(values['photos-per-round']);
const idleS = Number(values.idle);
const minutes = values.minutes === undefined ? Infinity : Number(values.minutes);
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(perRound) || perRound < 1 || !(idleS >= 0) || !(minutes > 0)) {
  process.stderr.write('usage: npm run soak -- [--rounds N] [--photos-per-round N] [--idle seconds] [--minutes N] [--photos folder]\n');
  process.exit(2);
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** The server's JS heap in use, from its Prometheus metrics; undefined where it does not expose it. */
async function heapUsed(origin: string): Promise<number | undefined> {
  const text = await fetch(`${origin}/metrics`).then(
    (r) => (r.ok ? r.text() : ''),
    () => '',
  );
  const match = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? ([\d.e+]+)$/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

const serverEnv = Object.fromEntries(
  (process.env.MEDIA_AI_SOAK_ENV ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);

const sources = sourcePhotos(values.photos);
const loadBefore = loadAverage();
process.stderr.write(`soak: ${rounds} rounds of ${perRound} fresh photos, ${idleS} s idle; starting media-ai serve...\n`);
await measureAgainstServe('soak', { env: { SCAN_FOR_MALWARE: 'false', ...serverEnv } }, async (server) => {
  const started = Date.now();
  const figures: number[] = [];
  let failures = 0;
  const rss = () => processMemory(server.pid, 'VmRSS');
  process.stdout.write(
    `soak: media-ai serve on ${server.origin} (pid ${server.pid}), ready in ${(server.readyMs / 1000).toFixed(1)} s, SCAN_FOR_MALWARE=false` +
      (Object.keys(serverEnv).length ? `, ${process.env.MEDIA_AI_SOAK_ENV}` : '') +
      `\nafter start   rss_mb=${mib(rss())}\n`,
  );
  for (let round = 1; round <= rounds; round++) {
    if (Date.now() - started > minutes * 60_000) break;
    // Made per round, so no two rounds (nor two photos) share bytes.
    const photos = (await freshVariants(sources, perRound)).map(multipartPhoto);
    const roundStart = performance.now();
    for (const photo of photos) {
      const response = await fetch(`${server.origin}/api/v1/photos/analyze`, {
        method: 'POST',
        headers: { 'content-type': photo.contentType },
        body: photo.body,
        signal: AbortSignal.timeout(180_000),
      });
      const event = (await response.json().catch(() => ({}))) as { event_type?: string };
      if (!response.ok || event.event_type !== 'post.enhanced') failures++;
    }
    const busyS = (performance.now() - roundStart) / 1000;
    await new Promise((resolve) => setTimeout(resolve, idleS * 1000));
    const resident = rss();
    const heap = await heapUsed(server.origin);
    figures.push(resident);
    process.stdout.write(
      `round ${String(round).padStart(3)}     rss_mb=${mib(resident)}${heap === undefined ? '' : ` heap_mb=${mib(heap)}`} busy_s=${busyS.toFixed(1)} failures=${failures} load=${loadAverage()}\n`,
    );
  }
  const first = figures[0] ?? 0;
  const last = figures.at(-1) ?? 0;
  return [
    machineLine(loadBefore),
    `rounds=${figures.length} rss_first_mb=${mib(first)} rss_last_mb=${mib(last)} rss_peak_mb=${mib(server.peakRssBytes())} ` +
      `growth=${first ? (((last - first) / first) * 100).toFixed(1) : 'n/a'}% failures=${failures}`,
  ];
});
