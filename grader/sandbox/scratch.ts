import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Protections } from "./protections";

/**
 * A submission's scratch folder: the only place its kernel may write. It lives under the system
 * temp folder (never inside the grader's output), is owned by the sandbox user, and is removed
 * when the submission is done.
 */
export function makeScratch(student: string, protections: Protections): string {
  const safe = student.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 60) || "student";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `workbook-sandbox-${safe}-`));
  if (protections.unprivilegedUser) {
    fs.chownSync(dir, protections.unprivilegedUser.uid, protections.unprivilegedUser.gid);
  }
  fs.chmodSync(dir, 0o700);
  return dir;
}

/** Removes a scratch folder and everything the kernel left in it. */
export function removeScratch(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Makes a folder of the grader's (output, gradebook) private to the grader's user, so a kernel
 * running as the sandbox user cannot read or write it even past Node's permission model.
 */
export function makePrivate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o700);
}
