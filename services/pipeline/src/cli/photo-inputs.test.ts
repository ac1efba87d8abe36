import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandPhotoInputs } from './photo-inputs.js';

describe('expandPhotoInputs', () => {
  it('keeps URLs, resolves files and expands folders to their images in name order', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'inputs-'));
    await mkdir(path.join(dir, 'album'));
    await writeFile(path.join(dir, 'album', 'b.PNG'), 'x');
    await writeFile(path.join(dir, 'album', 'a.jpg'), 'x');
    await writeFile(path.join(dir, 'album', 'notes.txt'), 'x');
    await writeFile(path.join(dir, 'one.webp'), 'x');

    const inputs = await expandPhotoInputs(['one.webp', 'album', 'gs://bucket/p.jpg'], dir);

    expect(inputs.map((i) => i.label)).toEqual(['one.webp', path.join('album', 'a.jpg'), path.join('album', 'b.PNG'), 'gs://bucket/p.jpg']);
    expect(inputs[0]?.url).toBe(`file://${path.join(dir, 'one.webp')}`);
    expect(inputs[3]?.url).toBe('gs://bucket/p.jpg');
  });

  it('names the argument that does not exist', async () => {
    await expect(expandPhotoInputs(['/no/such/photo.jpg'])).rejects.toThrow('/no/such/photo.jpg');
  });
});
