/**
 * Connected patches of a thumbnail's pixels, the one walk the frame accents (a band, a seal, a line of coloured print)
 * and the print colours (a letter's stroke) both need. Pure; no I/O.
 */

/**
 * The 8-connected patch of pixels from `start` whose members `joins` accepts, in the order they were reached; marks
 * each in `visited`, which the caller shares across calls so every pixel belongs to one patch. `start` itself is
 * taken as given (the caller has already checked it). Pixels are row by row, `width` by `height`.
 */
export function pixelPatch(start: number, width: number, height: number, visited: Uint8Array, joins: (j: number) => boolean): number[] {
  const patch = [start];
  visited[start] = 1;
  for (let k = 0; k < patch.length; k++) {
    const i = patch[k]!;
    const x = i % width;
    const y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const j = ny * width + nx;
        if (!visited[j] && joins(j)) {
          visited[j] = 1;
          patch.push(j);
        }
      }
  }
  return patch;
}
