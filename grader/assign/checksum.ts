/**
 * nbgrader's cell checksum, computed exactly as nbgrader (utils.compute_checksum, schema v3) does,
 * so nbgrader's tools accept our notebooks and we can detect edited locked cells:
 *
 *   md5( source + cell_type + str(is_grade) + str(is_solution) + str(is_locked) + grade_id
 *        + (is_grade ? str(float(points)) : "") )
 *
 * where str(bool) is Python's "True"/"False" and str(float(points)) is Python's float repr
 * ("3.0", "0.5", "1e-05").
 */
import { createHash } from "crypto";
import type { ICell } from "@jupyterlab/nbformat";
import { cellSource, nbgraderMetadata } from "./format";

/** nbgrader's is_grade: the cell earns points. */
export function isGrade(cell: ICell): boolean {
  return nbgraderMetadata(cell)?.grade === true;
}

/** nbgrader's is_solution: students answer in this cell. */
export function isSolution(cell: ICell): boolean {
  return nbgraderMetadata(cell)?.solution === true;
}

/** nbgrader's is_locked: solution cells never, grade cells always, else the `locked` flag. */
export function isLocked(cell: ICell): boolean {
  const meta = nbgraderMetadata(cell);
  if (!meta) return false;
  if (meta.solution === true) return false;
  if (meta.grade === true) return true;
  return meta.locked === true;
}

/**
 * Python's `repr(float(x))`: shortest round-trip digits, scientific when the decimal exponent is
 * below -4 or at least 16, always with a ".0" when integral in fixed notation.
 *
 * @example pythonFloatString(3) === "3.0"; pythonFloatString(1e-5) === "1e-05"
 */
export function pythonFloatString(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = x.toExponential().split("e");
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent).toString().padStart(2, "0");
    return `${sign}${m}e${exponent < 0 ? "-" : "+"}${e}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fracPart = digits.slice(exponent + 1);
  return `${sign}${intPart}.${fracPart.length > 0 ? fracPart : "0"}`;
}

/**
 * The checksum nbgrader stores in `metadata.nbgrader.checksum` for a grade, solution or locked cell.
 *
 * @throws when the cell has no nbgrader metadata (nbgrader itself fails there too).
 * @example computeChecksum(cell) // "5e8f..." (32 hex digits)
 */
export function computeChecksum(cell: ICell): string {
  const meta = nbgraderMetadata(cell);
  if (!meta) throw new Error("computeChecksum: the cell has no metadata.nbgrader; only nbgrader cells have checksums.");
  const md5 = createHash("md5");
  md5.update(cellSource(cell), "utf8");
  md5.update(String(cell.cell_type), "utf8");
  md5.update(isGrade(cell) ? "True" : "False");
  md5.update(isSolution(cell) ? "True" : "False");
  md5.update(isLocked(cell) ? "True" : "False");
  md5.update(meta.grade_id, "utf8");
  if (isGrade(cell)) md5.update(pythonFloatString(Number(meta.points)), "utf8");
  return md5.digest("hex");
}
