import * as path from "path";
import type { SandboxLimits } from "./limits";
import type { Protections } from "./protections";

/** Where the package that the kernel runs from lives, and which of its paths the kernel may read. */
export interface KernelInstall {
  /** The package root (holds package.json, dist/ and node_modules/). */
  packageRoot: string;
  /** The kernel entry point, `dist/kernel/main.js`, run as `node <main> <connection_file>`. */
  kernelMain: string;
}

/** The installed package this grader belongs to: dist/grader/sandbox -> package root. */
export function thisInstall(): KernelInstall {
  const packageRoot = path.resolve(__dirname, "..", "..", "..");
  return { packageRoot, kernelMain: path.join(packageRoot, "dist", "kernel", "main.js") };
}

/**
 * Paths the kernel may read: the compiled package (kernel and course library), its node_modules,
 * its package.json (for `import "dl-workbook/optim"`), and its own scratch folder. Not the source
 * tree, assignments/, the grader's output or the gradebook. `/etc/alpine-release` is read by
 * zeromq's loader to tell musl from glibc.
 */
export function readablePaths(install: KernelInstall, scratch: string): string[] {
  const root = install.packageRoot;
  return [
    path.join(root, "dist", "kernel"),
    path.join(root, "dist", "lib"),
    path.join(root, "node_modules"),
    path.join(root, "package.json"),
    "/etc/alpine-release",
    scratch,
  ];
}

/**
 * The command line that starts a program (normally the kernel) confined to one submission's sandbox,
 * outermost layer first:
 *
 *   unshare -n  prlimit --as --fsize --nproc --cpu  setpriv --reuid=nobody
 *     node --experimental-permission --allow-fs-read=<package, scratch> --allow-fs-write=<scratch>
 *          --allow-addons --max-old-space-size=<memory> <script> <args>
 *
 * No --allow-child-process; --allow-worker only when asked (the kernel's socket thread is a worker). `--allow-addons` is needed for zeromq; a native
 * addon can step around Node's permission model, which is why the OS layers stay underneath it.
 * Example: `sandboxCommand(["dist/kernel/main.js", conn], {...})` -> ["unshare", "-n", ...].
 */
export function sandboxCommand(
  scriptAndArgs: string[],
  options: {
    limits: SandboxLimits;
    protections: Protections;
    install: KernelInstall;
    scratch: string;
    nodePath?: string;
    /** Let the program start worker threads (the kernel runs its sockets in one). */
    allowWorker?: boolean;
    /**
     * A file the grader wrote (owner-only) that the sandbox user must read, e.g. the connection
     * file `{connection_file}`: it is handed over with chown just before privileges are dropped.
     */
    handOver?: string;
  },
): string[] {
  const { limits, protections, install, scratch } = options;
  const node = options.nodePath ?? process.execPath;
  const argv: string[] = [];
  if (protections.networkNamespace) argv.push("unshare", "-n", "--");
  if (protections.resourceLimits) {
    // Address space = heap cap + 2 GiB: V8 reserves virtual space per isolate (the kernel's socket
    // thread is a second one) and for code; 1 GiB of headroom is too little for the kernel to start.
    const addressSpace = (limits.memoryMB + 2048) * 1024 * 1024;
    argv.push(
      "prlimit",
      `--as=${addressSpace}`,
      `--fsize=${limits.fileMB * 1024 * 1024}`,
      `--nproc=${limits.processes}`,
      `--cpu=${Math.ceil(limits.totalSeconds) + 5}`,
      "--core=0",
      "--",
    );
  }
  if (protections.unprivilegedUser) {
    const { uid, gid } = protections.unprivilegedUser;
    if (options.handOver !== undefined) argv.push("sh", "-c", 'chown "$0" "$1" && shift && exec "$@"', `${uid}:${gid}`, options.handOver);
    // --pdeathsig: the kernel dies with the grader, even when the grader itself is killed.
    argv.push("setpriv", `--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", "--pdeathsig=KILL", "--");
  }
  argv.push(node);
  if (protections.nodePermissions) {
    argv.push("--experimental-permission", "--allow-addons", "--no-warnings");
    if (options.allowWorker) argv.push("--allow-worker");
    for (const readable of readablePaths(install, scratch)) argv.push(`--allow-fs-read=${readable}`);
    argv.push(`--allow-fs-write=${scratch}`);
  }
  argv.push(`--max-old-space-size=${limits.memoryMB}`);
  argv.push(...scriptAndArgs);
  return argv;
}

/** The environment of a sandboxed process: nothing of the grader's, only what Node and the kernel need. */
export function sandboxEnv(scratch: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: "/usr/bin:/bin",
    HOME: scratch,
    TMPDIR: scratch,
    LANG: "C.UTF-8",
    WORKBOOK_HISTORY_FILE: path.join(scratch, "history.sqlite"),
    ...extra,
  };
}
