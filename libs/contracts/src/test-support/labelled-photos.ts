/**
 * Test-only: the labelled photo set of ../shared/photos. Its manifest.json says, per photo, what a
 * person sees in it: COCO objects, lost-and-found items, legible text lines and colours. The eval
 * tools (tools/quality) score the pipeline against it and the pipeline's tests read labels from it.
 * It must never be imported by product code: it reads ../shared, which production images do not have.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDir } from './platform-contract.js';

export interface LabelledPhoto {
  /** File name beside the manifest. */
  file: string;
  /** COCO names of the objects in it. */
  objects: string[];
  /** Lost-and-found items (a label's words, compared through the fusion's vocabulary). */
  items: string[];
  /** Legible text, one entry per line. */
  text: string[];
  colors: string[];
}

/** The manifest of ../shared/photos, or the one named (photos lie beside it). */
export function readLabelledPhotos(manifestFile: string = path.join(sharedDir(), 'photos', 'manifest.json')): LabelledPhoto[] {
  return JSON.parse(readFileSync(manifestFile, 'utf8')) as LabelledPhoto[];
}
