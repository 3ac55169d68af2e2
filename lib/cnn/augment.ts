/** Data augmentation for digit images: random translations. */

/**
 * Shifts each image of a batch by a random (dy, dx) in [-maxShift, maxShift], filling with the
 * background value 0 (in place). out[y][x] = in[y - dy][x - dx].
 * @param images B * h * w floats (one channel)
 * @param rand a uniform [0, 1) generator (seeded for reproducible runs)
 * @example shiftImages(batch.images, 28, 28, 2, seededRandom(epoch));
 */
export function shiftImages(images: Float32Array, height: number, width: number, maxShift: number, rand: () => number): void {
  const size = height * width;
  const copy = new Float32Array(size);
  for (let start = 0; start < images.length; start += size) {
    const dy = Math.floor(rand() * (2 * maxShift + 1)) - maxShift;
    const dx = Math.floor(rand() * (2 * maxShift + 1)) - maxShift;
    if (dy === 0 && dx === 0) continue;
    const image = images.subarray(start, start + size);
    copy.set(image);
    image.fill(0);
    for (let y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
      for (let x = Math.max(0, dx); x < Math.min(width, width + dx); x++) image[y * width + x] = copy[(y - dy) * width + (x - dx)];
    }
  }
}
