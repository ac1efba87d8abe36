/**
 * The model manifest: every model file (and its label file) the vision capabilities may load, pinned
 * by sha256 and byte length, with licence, provenance and the version string that goes into
 * `model_versions` and into result-cache keys.
 *
 * Must never hold a floating URL (a branch name instead of a commit) or an entry without a sha256:
 * the manager verifies every byte it loads against this table, and an unpinned URL would make the
 * provenance unverifiable. The files themselves are never committed to this repository.
 * Facts (hashes, sizes, commits, licences) come from ../shared/models/README.md.
 */

/** One file the manager can resolve: a model or a label list. */
export interface ModelArtifact {
  /** File name in the cache dir, in a source folder and under a mirror base URL. */
  file: string;
  sha256: string;
  bytes: number;
  /**
   * Raw file at the exact provenance commit, tried last. null where no pinned upstream is documented:
   * such a file resolves only from the cache or the configured source.
   */
  upstreamUrl: string | null;
}

export interface ModelSpec {
  /** Stable name used in config, health, `model_versions` keys and record `model` fields. */
  name: ModelName;
  /** Identifies the weights exactly (upstream release + file hash prefix); part of result-cache keys. */
  version: string;
  licence: string;
  description: string;
  model: ModelArtifact;
  labels: ModelArtifact;
}

export type ModelName = 'yolox-nano' | 'mobilenetv2-int8';

export const MODEL_MANIFEST: Readonly<Record<ModelName, ModelSpec>> = {
  'yolox-nano': {
    name: 'yolox-nano',
    // Same weights as Megvii's 0.1.1rc0 release asset (identical detections on every test photo);
    // the hash prefix pins this particular export.
    version: 'megvii/yolox-nano:0.1.1rc0+695e750a',
    licence: 'Apache-2.0',
    description: 'YOLOX-Nano COCO-80 object detector, 416x416, batch 1',
    model: {
      file: 'yolox_nano.onnx',
      sha256: '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14',
      bytes: 3_660_092,
      upstreamUrl:
        'https://raw.githubusercontent.com/Kazuhito00/YOLOX-ONNX-TFLite-Sample/3d4f1119d0694200671c08069ecb847aa0d8495a/model/yolox_nano.onnx',
    },
    labels: {
      file: 'coco80.txt',
      sha256: 'bd17f1ee35d5f3c862a4894605855abbb9dda4b0621fdb0ac4c2c8c7bb7e730a',
      bytes: 621,
      // The README documents no pinned upstream for this list (standard COCO-80 names).
      upstreamUrl: null,
    },
  },
  'mobilenetv2-int8': {
    name: 'mobilenetv2-int8',
    version: 'onnx-model-zoo/mobilenetv2-12-int8+83530ad8',
    licence: 'Apache-2.0',
    description: 'MobileNetV2 1.0 224 int8 (QLinear) ImageNet-1k classifier, dynamic batch',
    model: {
      file: 'mobilenetv2-12-int8.onnx',
      sha256: '83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f',
      bytes: 3_655_640,
      upstreamUrl:
        'https://raw.githubusercontent.com/Lawrence-lugs/MARP/ac0452b4bd7f24639dfd0b2445f42a14d2be2ba7/onnx_models/mobilenetv2-12-int8.onnx',
    },
    labels: {
      file: 'imagenet1000.txt',
      sha256: 'e697a491aa735cc6c2aaf982f8e86e8fc7b0a1ea7750a2cc6a2bdfc1e109012f',
      bytes: 10_473,
      // Taken from hamacom2004jp/iinfer, but the README names no commit: no pinned upstream.
      upstreamUrl: null,
    },
  },
};

export const MODEL_NAMES = Object.keys(MODEL_MANIFEST) as ModelName[];
