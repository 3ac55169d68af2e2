/**
 * PNG encoding of float images for HTML displays: gray (colour type 0) or RGB (colour type 2),
 * 8 bits, one zlib-compressed IDAT of filter-0 rows. lib/data's encodeGrayPng covers gray only;
 * captioned scenes are in colour.
 */
import { deflateSync } from "zlib";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of the chunk type and data (ISO 3309 polynomial, as PNG requires). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

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
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = channels === 3 ? 2 : 0; // colour type: truecolour or grayscale
  const rowBytes = width * channels;
  const rows = Buffer.alloc(height * (rowBytes + 1)); // each row: filter byte 0, then samples
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < rowBytes; i++) {
      const v = pixels[y * rowBytes + i];
      rows[y * (rowBytes + 1) + 1 + i] = Math.round(Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * 255);
    }
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", new Uint8Array(0))]);
}
