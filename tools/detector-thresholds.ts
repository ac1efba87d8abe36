/**
 * Detector threshold table over a labelled photo set (../shared/photos/manifest.json, field
 * `objects`, COCO names): per model (YOLOX-Nano via the ModelManager, NanoDet-g from
 * @media-ai/vision's built file) and score threshold, the recall of expected labels (without and
 * with `person`) and the count of wrong labels ((photo, label) pairs not in the manifest), and the
 * same for unions YOLOX@t1 + NanoDet@t2. The ensemble thresholds are chosen from this table.
 *
 *   node --conditions=development --import tsx tools/detector-thresholds.ts <models-folder> [photos-folder]
 *
 * The core is exported (collectDetections, labelScore, thresholdRows, unionRows, formatReport) so other
 * tools can score their own combinations. Must never change what the product runs: it only reads
 * photos and models, each detector is run once at the lowest threshold and filtered afterwards (per
 * class NMS keeps the higher-scoring box, so the kept label set at a higher threshold is the same).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decodeImage,
  fuseDetections,
  loadNanodetDetector,
  ModelManager,
  normalizePhoto,
  ObjectDetector,
  type DetectedObject,
  type EnsembleMember,
} from '@media-ai/vision';

export interface ManifestPhoto {
  file: string;
  objects: string[];
}

export interface PhotoDetections {
  file: string;
  /** Expected COCO labels (manifest `objects`). */
  expected: string[];
  /** Every model's objects at the lowest threshold asked for. */
  byModel: Record<string, DetectedObject[]>;
}

export interface LabelScore {
  /** Expected non-person (photo, label) pairs found / all of them. */
  recallNonPerson: number;
  /** Same with person. */
  recallAll: number;
  foundNonPerson: number;
  expectedNonPerson: number;
  foundAll: number;
  expectedAll: number;
  /** (photo, label) pairs reported that the manifest does not list. */
  wrong: number;
}

/** Labels of one photo under a selection rule: a model and its threshold, or a union of those. */
export type Selection = Array<{ model: string; threshold: number }>;

export function labelsOf(photo: PhotoDetections, selection: Selection): Set<string> {
  const labels = new Set<string>();
  for (const { model, threshold } of selection) {
    for (const o of photo.byModel[model] ?? []) if (o.confidence >= threshold) labels.add(o.label);
  }
  return labels;
}

export function labelScore(photos: readonly PhotoDetections[], selection: Selection): LabelScore {
  return scoreLabelSets(photos, (photo) => labelsOf(photo, selection));
}

/** Scores any rule that turns a photo's detections into a label set. */
export function scoreLabelSets(photos: readonly PhotoDetections[], labelsFor: (photo: PhotoDetections) => Set<string>): LabelScore {
  let foundNonPerson = 0;
  let expectedNonPerson = 0;
  let foundAll = 0;
  let expectedAll = 0;
  let wrong = 0;
  for (const photo of photos) {
    const labels = labelsFor(photo);
    const expected = new Set(photo.expected);
    for (const label of expected) {
      const hit = labels.has(label) ? 1 : 0;
      expectedAll++;
      foundAll += hit;
      if (label !== 'person') {
        expectedNonPerson++;
        foundNonPerson += hit;
      }
    }
    for (const label of labels) if (!expected.has(label)) wrong++;
  }
  return {
    recallNonPerson: expectedNonPerson ? foundNonPerson / expectedNonPerson : 0,
    recallAll: expectedAll ? foundAll / expectedAll : 0,
    foundNonPerson,
    expectedNonPerson,
    foundAll,
    expectedAll,
    wrong,
  };
}

export interface ThresholdRow extends LabelScore {
  selection: Selection;
}

export function thresholdRows(
  photos: readonly PhotoDetections[],
  models: readonly string[],
  thresholds: readonly number[],
): ThresholdRow[] {
  return models.flatMap((model) =>
    thresholds.map((threshold) => ({ selection: [{ model, threshold }], ...labelScore(photos, [{ model, threshold }]) })),
  );
}

export function unionRows(
  photos: readonly PhotoDetections[],
  a: { model: string; thresholds: readonly number[] },
  b: { model: string; thresholds: readonly number[] },
): ThresholdRow[] {
  const rows: ThresholdRow[] = [];
  for (const ta of a.thresholds) {
    for (const tb of b.thresholds) {
      const selection = [
        { model: a.model, threshold: ta },
        { model: b.model, threshold: tb },
      ];
      rows.push({ selection, ...labelScore(photos, selection) });
    }
  }
  return rows;
}

/** One ensemble setting: per model, the solo threshold and the agree threshold of fuseDetections. */
export type EnsembleSetting = EnsembleMember[];

export interface EnsembleRow extends LabelScore {
  setting: EnsembleSetting;
}

/** The class-aware fusion the detector stage runs (fuseDetections), over a grid of its thresholds. */
export function ensembleRows(photos: readonly PhotoDetections[], settings: readonly EnsembleSetting[]): EnsembleRow[] {
  return settings.map((setting) => ({
    setting,
    ...scoreLabelSets(photos, (photo) => {
      const fused = fuseDetections(setting.map((member) => ({ member, objects: photo.byModel[member.name] ?? [] })));
      return new Set(fused.map((o) => o.label));
    }),
  }));
}

/** Every combination of YOLOX solo/agree and NanoDet solo/agree thresholds (agree <= solo). */
export function ensembleGrid(
  yolox: { solo: readonly number[]; agree: readonly number[] },
  nanodet: { solo: readonly number[]; agree: readonly number[] },
): EnsembleSetting[] {
  const settings: EnsembleSetting[] = [];
  for (const ys of yolox.solo)
    for (const ya of yolox.agree.filter((a) => a <= ys))
      for (const ns of nanodet.solo)
        for (const na of nanodet.agree.filter((a) => a <= ns)) {
          settings.push([
            { name: 'yolox-nano', soloThreshold: ys, agreeThreshold: ya },
            { name: 'nanodet-g', soloThreshold: ns, agreeThreshold: na },
          ]);
        }
  return settings;
}

export interface CollectOptions {
  /** Folder holding yolox_nano.onnx + coco80.txt (a ModelManager source). */
  modelsDir: string;
  /** Folder with the manifest and the photos. */
  photosDir: string;
  /** The manifest's file name in photosDir (default manifest.json). */
  manifestFile?: string;
  /** Lowest threshold any table row uses: every detector runs at this one. */
  minThreshold?: number;
  log?: (message: string) => void;
}

/** Runs YOLOX-Nano and NanoDet-g once per manifest photo (normalised as the pipeline does). */
export async function collectDetections(options: CollectOptions): Promise<{ photos: PhotoDetections[]; models: string[] }> {
  const minThreshold = options.minThreshold ?? 0.15;
  const manifest = JSON.parse(
    await readFile(path.join(options.photosDir, options.manifestFile ?? 'manifest.json'), 'utf8'),
  ) as ManifestPhoto[];
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'media-ai-thresholds-'));
  const detectors: ObjectDetector[] = [];
  try {
    const manager = new ModelManager({ cacheDir, source: options.modelsDir, downloadTimeoutMs: 10_000, allowUpstream: false });
    const yolox = await manager.resolveModel('yolox-nano');
    detectors.push(
      await ObjectDetector.create({
        modelPath: yolox.modelPath,
        labels: yolox.labels,
        name: yolox.spec.name,
        version: yolox.spec.version,
        scoreThreshold: minThreshold,
      }),
      await loadNanodetDetector({ scoreThreshold: minThreshold }),
    );
    const photos: PhotoDetections[] = [];
    for (const entry of manifest) {
      const normalized = await normalizePhoto(await readFile(path.join(options.photosDir, entry.file)), {
        maxSide: 2048,
        quality: 85,
        maxPixels: 100_000_000,
        allowedTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/tiff', 'image/avif'],
        stripMetadata: true,
      });
      const image = await decodeImage(normalized.jpeg);
      const byModel: Record<string, DetectedObject[]> = {};
      for (const detector of detectors) byModel[detector.name] = (await detector.detect([image]))[0] ?? [];
      photos.push({ file: entry.file, expected: entry.objects ?? [], byModel });
      options.log?.(
        `${entry.file}: ${detectors.map((d) => `${d.name} ${byModel[d.name]!.map((o) => `${o.label}@${o.confidence.toFixed(2)}`).join(',')}`).join(' | ')}`,
      );
    }
    return { photos, models: detectors.map((d) => d.name) };
  } finally {
    for (const d of detectors) await d.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

const pct = (x: number) => x.toFixed(2);
const cell = (r: LabelScore) =>
  `${pct(r.recallNonPerson)} (${r.foundNonPerson}/${r.expectedNonPerson}) | ${pct(r.recallAll)} (${r.foundAll}/${r.expectedAll}) | ${r.wrong}`;

export function formatReport(
  photos: readonly PhotoDetections[],
  models: readonly string[],
  thresholds: readonly number[] = [0.25, 0.3, 0.35, 0.4, 0.45, 0.5],
  unionGrid: { yolox: readonly number[]; nanodet: readonly number[] } = { yolox: [0.25, 0.3, 0.35], nanodet: [0.35, 0.4, 0.45, 0.5] },
): string {
  const lines = [
    `${photos.length} photos`,
    '',
    '| model | threshold | recall non-person | recall with person | wrong labels |',
    '|---|---|---|---|---|',
  ];
  for (const row of thresholdRows(photos, models, thresholds))
    lines.push(`| ${row.selection[0]!.model} | ${row.selection[0]!.threshold.toFixed(2)} | ${cell(row)} |`);
  lines.push('', '| union | recall non-person | recall with person | wrong labels |', '|---|---|---|---|');
  for (const row of unionRows(
    photos,
    { model: 'yolox-nano', thresholds: unionGrid.yolox },
    { model: 'nanodet-g', thresholds: unionGrid.nanodet },
  )) {
    lines.push(`| ${row.selection.map((s) => `${s.model}@${s.threshold.toFixed(2)}`).join(' + ')} | ${cell(row)} |`);
  }
  lines.push(
    '',
    '| ensemble (fuseDetections): yolox solo/agree + nanodet solo/agree | recall non-person | recall with person | wrong labels |',
    '|---|---|---|---|',
  );
  const rows = ensembleRows(
    photos,
    ensembleGrid({ solo: [0.25, 0.3, 0.35], agree: [0.15, 0.2, 0.25] }, { solo: [0.35, 0.4, 0.45, 0.5], agree: [0.2, 0.25, 0.3, 0.35] }),
  );
  // Best first: most non-person recall, then fewest wrong labels; the Pareto front is what matters.
  rows.sort((a, b) => b.foundAll - a.foundAll || a.wrong - b.wrong);
  const front = rows.filter((r, i) => !rows.slice(0, i).some((o) => o.foundAll >= r.foundAll && o.wrong <= r.wrong));
  for (const row of front) {
    const [y, n] = row.setting;
    lines.push(
      `| ${y!.soloThreshold.toFixed(2)}/${y!.agreeThreshold.toFixed(2)} + ${n!.soloThreshold.toFixed(2)}/${n!.agreeThreshold.toFixed(2)} | ${cell(row)} |`,
    );
  }
  lines.push(`(Pareto front of ${rows.length} settings: no other setting finds as many with as few wrong labels)`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [modelsDir, photosDir] = process.argv.slice(2);
  if (!modelsDir) {
    process.stderr.write(
      'usage: node --conditions=development --import tsx tools/detector-thresholds.ts <models-folder> [photos-folder]\n',
    );
    process.exit(2);
  }
  const verbose = process.argv.includes('--verbose');
  const { photos, models } = await collectDetections({
    modelsDir: path.resolve(modelsDir),
    photosDir: path.resolve(photosDir && !photosDir.startsWith('--') ? photosDir : path.join(modelsDir, '../photos')),
    log: verbose ? (m) => process.stderr.write(`${m}\n`) : undefined,
  });
  process.stdout.write(`${formatReport(photos, models)}\n`);
}
