/**
 * `node dist/kernel/snapshot/refresh.js`: rebuilds the kernelspec kernels' snapshot and its pointer
 * (launcher.ts). A kernel started by the launcher runs this detached when it finds the snapshot
 * missing or stale; one rebuild at a time (a lock file younger than 10 minutes means one is running).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { snapshotDir } from "./blob";
import { ensureKernelspecSnapshot } from "./launcher";

const LOCK_MAX_AGE_MS = 10 * 60 * 1000;

function takeLock(lock: string): boolean {
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
    return true;
  } catch {
    try {
      if (Date.now() - fs.statSync(lock).mtimeMs < LOCK_MAX_AGE_MS) return false;
      fs.writeFileSync(lock, String(process.pid));
      return true;
    } catch {
      return false;
    }
  }
}

const lock = path.join(snapshotDir(), "kernelspec-refresh.lock");
if (takeLock(lock)) {
  try {
    // behind the kernels the student is using
    os.setPriority(10);
  } catch {
    // not allowed: build at normal priority
  }
  try {
    ensureKernelspecSnapshot();
  } catch (err) {
    console.error(`dl-workbook: rebuilding the kernel snapshot failed: ${(err as Error).message}`);
    process.exitCode = 1;
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
