/**
 * PNG encoding of float images for HTML displays, gray or RGB: values in [0, 1] become bytes,
 * then the shared encoder in lib/display writes the PNG. Captioned scenes are in colour.
 */
import { encodePng } from "../display/png";

/**
 * Encodes an image of floats in [0, 1] (row-major, channels last; 1 or 3 channels) as PNG.
 * Values are clamped to [0, 1] and scaled to 0-255.
 * @example
 * const png = encodeImagePng(new Float32Array(32 * 32 * 3), 32, 32, 3);
 * const src = `data:image/png;base64,${png.toString("base64")}`;
 */
export function encodeImagePng(pixels: ArrayLike<number>, width: number, height: number, channels: 1 | 3): Buffer {
  if (pixels.length !== width * height * channels) {
    throw new Error(`Error in encodeImagePng: ${pixels.length} values do not fill a ${height}x${width}x${channels} image (${width * height * channels}).`);
  }
  // byte = round(clamp(v, 0, 1) * 255); NaN and infinities become 0
  const bytes = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    bytes[i] = Math.round(Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * 255);
  }
  return encodePng(bytes, width, height, channels);
}
