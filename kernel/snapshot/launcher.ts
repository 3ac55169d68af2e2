/**
 * Kernels that Jupyter starts through the kernelspec, started from the V8 startup snapshot.
 *
 * `node --snapshot-blob <blob>` makes Node exit when the blob was built by another Node binary,
 * so the kernelspec does not name the blob: it runs a small shell launcher (`start-kernel.sh` in
 * the kernelspec folder, written by {@link launcherScript}) that execs the relay,
 * `node dist/kernel/relay.js --snapshot-blob <blob> <connection_file>` (kernel/relay.ts: it binds
 * Jupyter's ports and answers kernel_info at once, and starts `node --snapshot-blob <blob>` behind
 * them), only when the pointer file (`build/kernel-snapshot/kernelspec-<hash of node's path>.current`)
 * names a blob that exists and was built by this very binary: same path, and the same size and
 * modification time as recorded when it was built (Node's version is recorded beside them; a new
 * version is a new binary). Otherwise it execs `node dist/kernel/main.js <connection_file>`, the
 * script start, which answers as fast by itself. `exec` keeps one process for Jupyter to signal.
 *
 * The kernel then checks, once idle, whether the snapshot is still current (Node binary, TypeScript,
 * builder and every declaration file in it; {@link kernelspecSnapshotNeedsRefresh}) and, if not,
 * rebuilds it in a detached background process (refresh.ts) for the next start.
 *
 * ```ts
 * const snapshot = ensureKernelspecSnapshot();   // what `workbook kernel install` does
 * fs.writeFileSync("start-kernel.sh", launcherScript({ node: process.execPath, kernelMain, relay, pointer: kernelspecPointerFile() }));
 * ```
 */
import { spawn, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { currentKernelSnapshot, ensureKernelSnapshot, snapshotDir } from "./blob";
import type { KernelSnapshot } from "./blob";

/** The V8 flags of kernels started through the kernelspec: none (Node's defaults, a student's whole machine). */
export const KERNELSPEC_V8_FLAGS: readonly string[] = [];

/** The launcher sets this to "1" (unless it is set already) so the kernel refreshes a stale snapshot in the background; "0" turns that off. */
export const REFRESH_VARIABLE = "WORKBOOK_SNAPSHOT_REFRESH";

/** The launcher exports the pointer file it reads, so a kernel refreshes only the snapshot its launcher will use. */
export const POINTER_VARIABLE = "WORKBOOK_SNAPSHOT_POINTER";

/** Set to "1", the launcher starts the kernel from its script even when a matching snapshot exists. */
export const NO_SNAPSHOT_VARIABLE = "WORKBOOK_KERNEL_NO_SNAPSHOT";

/** The pointer file for the kernelspec's snapshot of the Node binary at `node`: one per binary path. */
export function kernelspecPointerFile(node: string = process.execPath): string {
  const hash = crypto.createHash("sha256").update(path.resolve(node)).digest("hex").slice(0, 12);
  return path.join(snapshotDir(), `kernelspec-${hash}.current`);
}

/** What the launcher compares: the binary's size and modification time in whole seconds, as `stat` prints them. */
export function nodeStamp(node: string = process.execPath): string {
  const s = fs.statSync(node);
  return `${s.size} ${Math.floor(s.mtimeMs / 1000)}`;
}

/** `stat` arguments that print "<size> <mtime seconds>" for a file on this system (GNU, then BSD/macOS), or undefined when neither does. */
export function statArguments(node: string = process.execPath): string[] | undefined {
  const expected = nodeStamp(node);
  for (const args of [
    ["-L", "-c", "%s %Y"],
    ["-L", "-f", "%z %m"],
  ]) {
    const run = spawnSync("stat", [...args, node], { encoding: "utf8" });
    if (run.status === 0 && run.stdout.trim() === expected) return args;
  }
  return undefined;
}

/** The pointer file's lines: the blob, the stamp of the binary that built it, and its Node version. */
function pointerText(blob: string): string {
  return `${blob}\n${nodeStamp()}\n${process.version}\n`;
}

/**
 * Builds (or finds current) the snapshot for kernelspec kernels run by this Node binary, and
 * points the launcher at it. Throws with the builder's message when Node cannot build one.
 * @example ensureKernelspecSnapshot().blob // ".../build/kernel-snapshot/kernel-<key>.blob"
 */
export function ensureKernelspecSnapshot(): KernelSnapshot {
  const snapshot = ensureKernelSnapshot(KERNELSPEC_V8_FLAGS);
  const pointer = kernelspecPointerFile();
  const text = pointerText(snapshot.blob);
  let existing = "";
  try {
    existing = fs.readFileSync(pointer, "utf8");
  } catch {
    // none yet
  }
  if (existing !== text) {
    const partial = `${pointer}.${process.pid}.partial`;
    fs.writeFileSync(partial, text, { mode: 0o644 });
    fs.renameSync(partial, pointer);
  }
  return snapshot;
}

/**
 * True when the launcher would not start this Node's kernels from a current snapshot: no pointer,
 * a pointer to another blob or from another binary, or a blob whose Node, TypeScript, builder or
 * declaration files have changed since it was built.
 */
export function kernelspecSnapshotNeedsRefresh(): boolean {
  const blob = currentKernelSnapshot(KERNELSPEC_V8_FLAGS);
  if (!blob) return true;
  try {
    return fs.readFileSync(kernelspecPointerFile(), "utf8") !== pointerText(blob);
  } catch {
    return true;
  }
}

/** Quotes a string for sh: '...' with each ' written as '\''. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** What {@link launcherScript} needs. */
export interface LauncherPaths {
  /** The Node binary (the one `workbook kernel install` runs under). */
  node: string;
  /** dist/kernel/main.js, the script start. */
  kernelMain: string;
  /** dist/kernel/relay.js, which starts the kernel from the snapshot behind ports it answers on at once. */
  relay: string;
  /** The pointer file ({@link kernelspecPointerFile} of `node`). */
  pointer: string;
  /** `stat` arguments that print "<size> <mtime>" here ({@link statArguments}); without them the launcher always starts from the script. */
  statArgs?: string[];
}

/**
 * The POSIX sh launcher that the kernelspec's argv runs (`/bin/sh start-kernel.sh {connection_file}`).
 * @example fs.writeFileSync(path.join(specDir, "start-kernel.sh"), launcherScript({ node, kernelMain, relay, pointer, statArgs }))
 */
export function launcherScript(paths: LauncherPaths): string {
  const check = paths.statArgs
    ? [
        `if [ "\${${NO_SNAPSHOT_VARIABLE}:-}" != 1 ] && [ -r "$pointer" ]; then`,
        '  { read -r blob; read -r stamp; } < "$pointer"',
        "  # built by this very binary: Node exits on a snapshot built by another one",
        `  if [ -r "$blob" ] && [ "$(stat ${paths.statArgs.map(shellQuote).join(" ")} "$node" 2>/dev/null)" = "$stamp" ]; then`,
        '    exec "$node" "$relay" --snapshot-blob "$blob" "$@"',
        "  fi",
        "fi",
      ]
    : ["# no stat command that prints a file's size and modification time here: always the script start"];
  return [
    "#!/bin/sh",
    "# The dl-workbook kernel's launcher, written by `workbook kernel install` (kernel/snapshot/launcher.ts).",
    "# Starts the kernel from its V8 startup snapshot, behind the relay that answers Jupyter meanwhile",
    "# (kernel/relay.ts), when the snapshot was built by this Node binary,",
    "# else from its script; the kernel rebuilds a missing or stale snapshot in the background.",
    `node=${shellQuote(paths.node)}`,
    `main=${shellQuote(paths.kernelMain)}`,
    `relay=${shellQuote(paths.relay)}`,
    `pointer=${shellQuote(paths.pointer)}`,
    `: "\${${REFRESH_VARIABLE}:=1}"`,
    `export ${REFRESH_VARIABLE}`,
    `${POINTER_VARIABLE}="$pointer"`,
    `export ${POINTER_VARIABLE}`,
    ...check,
    'exec "$node" "$main" "$@"',
    "",
  ].join("\n");
}

/**
 * In a kernel started by the launcher (`enabled`: REFRESH_VARIABLE was "1"): when the snapshot is
 * missing or stale, rebuilds it in a detached, low-priority process so the next kernel starts from
 * it. Returns whether a rebuild was started. Never throws (a kernel must not fail for this).
 * @example refreshKernelspecSnapshotInBackground(process.env.WORKBOOK_SNAPSHOT_REFRESH === "1")
 */
export function refreshKernelspecSnapshotInBackground(enabled: boolean = process.env[REFRESH_VARIABLE] === "1"): boolean {
  if (!enabled) return false;
  try {
    // a student of a shared install cannot rewrite the pointer the launcher reads (the package's
    // build folder): a snapshot built in their own temporary folder would never be used
    const launcherPointer = process.env[POINTER_VARIABLE];
    if (launcherPointer !== undefined && path.resolve(launcherPointer) !== kernelspecPointerFile()) return false;
    if (!kernelspecSnapshotNeedsRefresh()) return false;
    const child = spawn(process.execPath, [path.join(__dirname, "refresh.js")], { detached: true, stdio: "ignore", env: { ...process.env, [REFRESH_VARIABLE]: "0" } });
    child.on("error", () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
