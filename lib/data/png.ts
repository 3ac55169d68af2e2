/** Digits as PNG: 8-bit grayscale through the shared encoder in lib/display. */
import { encodePng } from "../display/png";

/**
 * Encodes a grayscale image (row-major bytes, 0 = black, 255 = white) as PNG.
 * @example encodeGrayPng(new Uint8Array(28 * 28), 28, 28).toString("base64");
 */
export function encodeGrayPng(pixels: Uint8Array, width: number, height: number): Buffer {
  if (pixels.length !== width * height) {
    throw new Error(`Error in encodeGrayPng: ${pixels.length} pixels do not fill a ${width}x${height} image (${width * height}).`);
  }
  return encodePng(pixels, width, height, 1);
}
