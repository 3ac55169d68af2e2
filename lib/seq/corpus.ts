/**
 * The committed text corpus for the character language model: Tiny Shakespeare
 * (data/tinyshakespeare/input.txt), checked against its sha256 at load. Nothing is downloaded.
 */
import { createHash } from "crypto";
import { existsSync, readFileSync } from "fs";
import { dirname, join } from "path";

/** sha256 of data/tinyshakespeare/input.txt as committed (see data/tinyshakespeare/README.md). */
export const TINY_SHAKESPEARE_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed";

/** Number of characters in Tiny Shakespeare. */
export const TINY_SHAKESPEARE_LENGTH = 1_115_394;

/** The folder holding the package's committed data (walks up from this file to package.json). */
export function dataDirectory(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && existsSync(join(dir, "data"))) {
      const name = (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name;
      if (name === "dl-workbook") return join(dir, "data");
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`Error in dataDirectory: no "data" folder of the dl-workbook package above ${__dirname}. Reinstall dl-workbook; its data/ folder ships with the package.`);
    }
    dir = parent;
  }
}

/** sha256 of a buffer or string, hex. */
export function sha256(content: Buffer | string): string {
  return createHash("sha256").update(content).digest("hex");
}

/**
 * Reads a text file and checks its sha256.
 * @throws when the file is missing or its checksum differs, naming the file and both checksums.
 */
export function loadCheckedText(file: string, expectedSha256: string): string {
  if (!existsSync(file)) {
    throw new Error(`Error in loadCheckedText: corpus file ${file} is missing. It is committed in the package's data/ folder; reinstall dl-workbook or restore the file from git.`);
  }
  const bytes = readFileSync(file);
  const actual = sha256(bytes);
  if (actual !== expectedSha256) {
    throw new Error(
      `Error in loadCheckedText: ${file} has sha256 ${actual} but ${expectedSha256} was expected. ` +
        `The file was changed (edited, truncated, or its line endings converted); restore it with "git checkout -- ${file}" or reinstall dl-workbook.`,
    );
  }
  return bytes.toString("utf8");
}

/**
 * Tiny Shakespeare, 1,115,394 characters over a vocabulary of 65, checked by sha256.
 * @example
 * const text = loadTinyShakespeare(); // "First Citizen:\nBefore we proceed any further, ..."
 */
export function loadTinyShakespeare(): string {
  return loadCheckedText(join(dataDirectory(), "tinyshakespeare", "input.txt"), TINY_SHAKESPEARE_SHA256);
}
