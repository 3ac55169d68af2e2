import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { GradingSpec, Notebook } from "../assign/format";
import { GRADING_SPEC_VERSION } from "../assign/format";
import { readNotebook } from "../../notebook/notebook";

/** What grading needs from an assignment: the spec (hidden cases, expected values) and the released student notebook. */
export interface LoadedAssignment {
  spec: GradingSpec;
  specFile: string;
  /** sha256 of the spec file: a changed spec re-grades everything. */
  specHash: string;
  release: Notebook;
}

/**
 * Loads `<assignment>`: a `*.grading.json` spec, or a folder holding exactly one. The release is
 * the student notebook the spec names. The instructor source is never read while grading.
 */
export function loadAssignment(assignment: string): LoadedAssignment {
  let specFile = assignment;
  if (fs.existsSync(assignment) && fs.statSync(assignment).isDirectory()) {
    const specs = fs.readdirSync(assignment).filter((f) => f.endsWith(".grading.json"));
    if (specs.length !== 1) throw new Error(`Error in grade: folder "${assignment}" holds ${specs.length} *.grading.json files; run "workbook assign generate" first, or name the spec file.`);
    specFile = path.join(assignment, specs[0]);
  }
  if (!fs.existsSync(specFile)) throw new Error(`Error in grade: assignment "${assignment}" not found; give the assignment folder or its *.grading.json.`);
  const text = fs.readFileSync(specFile);
  let spec: GradingSpec;
  try {
    spec = JSON.parse(text.toString("utf8")) as GradingSpec;
  } catch (err) {
    throw new Error(`Error in grade: ${specFile} is not valid JSON (${(err as Error).message}); regenerate it with "workbook assign generate".`);
  }
  if (spec.specVersion !== GRADING_SPEC_VERSION || !Array.isArray(spec.autograded)) {
    throw new Error(`Error in grade: ${specFile} has spec version ${String(spec.specVersion)}, this grader reads version ${GRADING_SPEC_VERSION}; regenerate it.`);
  }
  const releaseFile = path.resolve(path.dirname(specFile), spec.studentNotebook);
  let release: Notebook;
  try {
    release = readNotebook(releaseFile);
  } catch (err) {
    throw new Error(`Error in grade: the student notebook named by ${specFile}: ${(err as Error).message}`);
  }
  return { spec, specFile, specHash: createHash("sha256").update(text).digest("hex"), release };
}
