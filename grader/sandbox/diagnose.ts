import * as fs from "fs";
import * as path from "path";
import { KernelInstall, linkedDependencies } from "./command";
import type { Protections } from "./protections";

/** A path on the way to what the kernel must read that its user may not pass. */
export interface Blocked {
  /** The folder it cannot enter, or the file it cannot read. */
  path: string;
  /** Its mode, e.g. "700". */
  mode: string;
  /** Its owner's user id. */
  uid: number;
  /** What the kernel needs there: "enter" (a folder's x bit) or "read" (a file's r bit). */
  need: "enter" | "read";
  /** The file the kernel needed, which lies at or below `path`. */
  wanted: string;
}

/** What a kernel reads at start: Node, the package's package.json and kernel, its dependencies and the startup snapshot. */
export function kernelNeeds(install: KernelInstall): string[] {
  const needs = [process.execPath, path.join(install.packageRoot, "package.json"), install.kernelMain, path.join(install.packageRoot, "node_modules")];
  for (const linked of linkedDependencies(install)) needs.push(linked);
  if (install.snapshotBlob) needs.push(install.snapshotBlob);
  return needs;
}

/** True when a user that is neither owner nor (unless `gid` matches) in the group has `bit` (4 read, 1 enter) on `stat`. */
function allows(stat: fs.Stats, uid: number, gid: number, bit: number): boolean {
  if (stat.uid === uid) return (stat.mode & (bit << 6)) !== 0;
  if (stat.gid === gid) return (stat.mode & (bit << 3)) !== 0;
  return (stat.mode & bit) !== 0;
}

/**
 * The first folder the sandbox's unprivileged user cannot enter, or file it cannot read, on the
 * way to what the kernel needs ({@link kernelNeeds}); null when everything is readable, or when
 * the kernel runs as the grader's own user (nothing to check). With bubblewrap the package, Node
 * and the snapshot are mounted into the sandbox, so only the modes from each mount down count;
 * without it every folder from / down does (a package cloned into a mode-700 folder fails here).
 * Example: `unreadableForSandbox(install, protections)` -> `{ path: "/tmp/tmp.x1", mode: "700", need: "enter", ... }`.
 */
export function unreadableForSandbox(install: KernelInstall, protections: Protections): Blocked | null {
  const user = protections.unprivilegedUser;
  if (!user) return null;
  const mounted = protections.isolation === "bubblewrap";
  const roots = mounted ? [install.packageRoot, ...linkedDependencies(install), process.execPath, ...(install.snapshotBlob ? [install.snapshotBlob] : [])].map(real) : ["/"];
  for (const wanted of kernelNeeds(install).map(real)) {
    const root = roots.filter((r) => wanted === r || wanted.startsWith(r === "/" ? "/" : r + path.sep)).sort((a, b) => b.length - a.length)[0] ?? "/";
    // every folder from the mount (or /) down to the file's folder, then the file itself
    const steps: string[] = [];
    for (let p = wanted; ; p = path.dirname(p)) {
      steps.unshift(p);
      if (p === root || p === path.dirname(p)) break;
    }
    for (const step of steps) {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(step);
      } catch {
        break; // missing: the kernel's own error says so
      }
      const last = step === wanted;
      const need = last && !stat.isDirectory() ? "read" : "enter";
      if (!allows(stat, user.uid, user.gid, need === "read" ? 4 : 1)) return { path: step, mode: (stat.mode & 0o777).toString(8), uid: stat.uid, need, wanted };
    }
  }
  return null;
}

function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * What went wrong when a sandboxed kernel could not start or run a cell, and how to fix it, as
 * lines for the TA: the folder or file the sandbox's user cannot read (with the chmod that fixes
 * it, and bubblewrap where it would make the modes above the package irrelevant), else the
 * kernel's own last words and the command that tests each layer.
 */
export function explainKernelFailure(error: string, install: KernelInstall, protections: Protections): string[] {
  const blocked = unreadableForSandbox(install, protections);
  const said = error
    .split("\n")
    .filter((l) => l.trim() !== "" && !/^\s+at /.test(l))
    .slice(0, 8)
    .map((l) => `  ${l}`);
  const lines: string[] = [];
  if (blocked) {
    const who = "the kernels' unprivileged users (uid 1900000000 and up, group nogroup)";
    lines.push(`Cause: ${who} cannot ${blocked.need} ${blocked.path} (mode ${blocked.mode}, owner uid ${blocked.uid}), so the kernel cannot read ${blocked.wanted}.`);
    const chmod = blocked.need === "enter" ? `chmod o+x ${blocked.path}` : `chmod o+r ${blocked.path}`;
    if (protections.isolation === "bubblewrap") {
      lines.push(`Fix: make the package readable by other users (bubblewrap already mounts it into the sandbox, so the folders above it do not matter): ${chmod}, or chmod -R o+rX ${install.packageRoot}.`);
    } else {
      lines.push(`Fix: install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap), which mounts the package into each kernel's sandbox whatever the folders above it allow;`);
      lines.push(`     or let other users ${blocked.need} it: ${chmod}; or put the package where others can read it (e.g. /opt).`);
    }
  } else {
    lines.push("Cause: the kernel's own error, below.");
    lines.push("Fix: run `workbook grade --check-sandbox` to see which sandbox layer fails on this machine.");
  }
  if (said.length > 0) lines.push("The kernel said:", ...said);
  return lines;
}
