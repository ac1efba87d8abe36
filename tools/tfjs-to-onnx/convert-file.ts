/**
 * File-level conversion: reads model.json and its weight shards from disk, converts, and writes the
 * ONNX atomically (temp file + rename). Shared by the CLI and the NanoDet build step.
 *
 * Must never leave a half-written ONNX under its final name.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { convertTfjsGraph, type ConversionResult, type ConvertOptions, type TfjsModelJson } from './converter.js';

export async function readTfjsModel(modelJsonPath: string): Promise<{ model: TfjsModelJson; weights: Uint8Array }> {
  const model = JSON.parse(await readFile(modelJsonPath, 'utf8')) as TfjsModelJson;
  const dir = path.dirname(modelJsonPath);
  const shards: Buffer[] = [];
  for (const group of model.weightsManifest) for (const p of group.paths) shards.push(await readFile(path.join(dir, p)));
  return { model, weights: new Uint8Array(Buffer.concat(shards)) };
}

export interface ConvertedFile extends Omit<ConversionResult, 'onnx'> {
  bytes: number;
  sha256: string;
}

export async function convertModelFile(modelJsonPath: string, outPath: string, options: ConvertOptions = {}): Promise<ConvertedFile> {
  const { model, weights } = await readTfjsModel(modelJsonPath);
  const { onnx, ...rest } = convertTfjsGraph(model, weights, options);
  await mkdir(path.dirname(path.resolve(outPath)), { recursive: true });
  const temp = `${outPath}.${process.pid}.tmp`;
  await writeFile(temp, onnx);
  await rename(temp, outPath);
  return { ...rest, bytes: onnx.byteLength, sha256: createHash('sha256').update(onnx).digest('hex') };
}
