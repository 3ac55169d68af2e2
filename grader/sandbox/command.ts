import * as fs from "fs";
import * as path from "path";
import { ensureKernelSnapshot } from "../../kernel/snapshot/blob";
import type { SandboxLimits } from "./limits";
import { PARENT_PID_VARIABLE } from "../../kernel/parent-poller";
import { ALIVE_PIPE_INSIDE, graderAlivePipe } from "./alive";
import { Protections, namespaceArgs, systemMounts } from "./protections";

/** Where the package that the kernel runs from lives, and which of its paths the kernel may read. */
export interface KernelInstall {
  /** The package root (holds package.json, dist/ and node_modules/). */
  packageRoot: string;
  /** The kernel entry point, `dist/kernel/main.js`, run as `node <main> <connection_file>`. */
  kernelMain: string;
  /**
   * The kernel's startup snapshot (kernel/snapshot): when set, kernels start as
   * `node --snapshot-blob <blob> <connection_file>`, with TypeScript loaded and its declaration files parsed.
   */
  snapshotBlob?: string;
  /**
   * The V8 code cache beside the snapshot (kernel/snapshot/code-cache.ts): kernels started from the
   * snapshot read it (read-only) and deserialize the package's modules instead of compiling them.
   */
  codeCache?: string;
  /**
   * Conversions of the cells every submission shares, recorded once per run (grader/autograde/conversions.ts):
   * the kernel reads this file (read-only to it) at start and type checks only the cells it does not hold.
   */
  conversions?: string;
}

/** The installed package this grader belongs to: dist/grader/sandbox -> package root. */
export function thisInstall(): KernelInstall {
  const packageRoot = path.resolve(__dirname, "..", "..", "..");
  return { packageRoot, kernelMain: path.join(packageRoot, "dist", "kernel", "main.js") };
}

/**
 * `install` with the kernel's startup snapshot, built first if there is none (a few seconds, once
 * per Node version and package state). When Node cannot build one, kernels start from the main
 * script as before, which costs about a CPU second more each; `log` says why.
 */
export function withKernelSnapshot(install: KernelInstall, limits: SandboxLimits, log: (line: string) => void): KernelInstall {
  try {
    const snapshot = ensureKernelSnapshot(kernelV8Flags(limits));
    if (snapshot.buildMs > 0) log(`kernel snapshot built in ${(snapshot.buildMs / 1000).toFixed(1)} s (${snapshot.declarationFiles} declaration files parsed once for all kernels)`);
    if (snapshot.codeCacheError) log(`warning: kernels compile the package's modules each time, without a code cache: ${snapshot.codeCacheError}`);
    return { ...install, snapshotBlob: snapshot.blob, ...(snapshot.codeCache ? { codeCache: snapshot.codeCache } : {}) };
  } catch (err) {
    log(`warning: kernels start without a snapshot, each about a CPU second slower: ${(err as Error).message}`);
    return install;
  }
}

/**
 * The V8 flags of a sandboxed kernel (a snapshot must be built with the same flags):
 * - its heap cap;
 * - `--interrupt-budget=1000000` (about 7 times the default): a function must run that much longer
 *   before V8's optimizing compiler takes it up. A grading kernel lives a few seconds, and optimizing
 *   TypeScript's compiler functions in that time was a large share of its CPU time; hot numeric
 *   loops are still optimized, a few milliseconds later;
 * - `--single-threaded-gc`: the grader already runs one kernel per core, and helper threads for
 *   garbage collection only added CPU time;
 * - a young generation of 16 MB from the start and an initial heap of up to 400 MB: type checking
 *   allocates fast, and growing the heap step by step cost dozens of young collections and a full
 *   one per kernel. The README's bench:grade section has the measured figures.
 */
export function kernelV8Flags(limits: SandboxLimits): string[] {
  const initialHeap = Math.min(400, Math.floor(limits.memoryMB / 2));
  return [`--max-old-space-size=${limits.memoryMB}`, "--interrupt-budget=1000000", "--single-threaded-gc", "--min-semi-space-size=16", `--initial-heap-size=${initialHeap}`];
}

/**
 * The Node arguments that start the kernel, before its connection file. Without its snapshot file
 * (a rebuild of the package during a long run replaces it) the kernel starts from its script.
 */
export function kernelStartArgs(install: KernelInstall): string[] {
  return install.snapshotBlob && fs.existsSync(install.snapshotBlob) ? ["--snapshot-blob", install.snapshotBlob] : [install.kernelMain];
}

/**
 * Paths the kernel may read: the package it runs from (kernel, course library, node_modules,
 * package.json; TypeScript's module resolution needs to see the package folder itself) and its own
 * scratch folder, the conversions and code cache files (kernel/snapshot/code-cache.ts; inside the
 * package unless the package's build/ folder was not writable). `/etc/alpine-release` is read by zeromq's loader to tell musl from glibc. The
 * secrets inside the package folder (assignments/) and the grader's own folders are covered by
 * empty mounts, see {@link secretPaths}.
 */
export function readablePaths(install: KernelInstall, scratch: string): string[] {
  const roots = [install.packageRoot, ...linkedDependencies(install)];
  const inside = (file: string): boolean => roots.some((root) => file.startsWith(root + path.sep));
  // a file inside a folder already granted is left out: Node 20's permission model then failed to
  // resolve the package's own name from inside that folder (require("dl-workbook") not found)
  const files = [install.conversions, install.codeCache].filter((p): p is string => p !== undefined && !inside(path.resolve(p)));
  return [...roots, "/etc/alpine-release", ...files, scratch];
}

/**
 * The real folder of the package's node_modules when it is a symbolic link to somewhere else (a
 * git worktree or a shared install): Node loads modules by their real path, so the kernel must
 * read that folder too. Empty for an ordinary install, where node_modules is inside the package.
 */
export function linkedDependencies(install: KernelInstall): string[] {
  const modules = path.join(install.packageRoot, "node_modules");
  try {
    const real = fs.realpathSync(modules);
    return real === modules || real.startsWith(install.packageRoot + path.sep) ? [] : [real];
  } catch {
    return [];
  }
}

/**
 * What a submission must never see, covered by an empty, unreadable mount in the kernel's mount
 * namespace: the package's assignments/ (every assignment's source and grading spec), plus the
 * grader's folders given in `extra` (the assignment being graded, the submissions, the output
 * folder with the gradebook).
 */
export function secretPaths(install: KernelInstall, extra: string[] = []): string[] {
  return [path.join(install.packageRoot, "assignments"), ...extra].map((p) => path.resolve(p));
}

/**
 * Runs inside the new namespaces before the kernel: under bubblewrap it first checks that the
 * grader still lives (see graderAlivePipe; exit 98 when not), then as root covers the secrets
 * (unshare only) and hands over the connection file, then runs the rest of the command line.
 */
const PREPARE_SCRIPT = [
  'owner="$1"; handover="$2"; alive="$3"; shift 3',
  'if [ -n "$alive" ]; then dd if=/dev/null of="$alive" oflag=nonblock conv=notrunc status=none 2>/dev/null || exit 98; fi',
  'while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do',
  '  if [ -d "$1" ]; then mount -t tmpfs -o size=4k,mode=000 workbook-hidden "$1" || exit 97;',
  '  elif [ -e "$1" ]; then mount --bind /dev/null "$1" || exit 97; fi',
  "  shift",
  "done",
  "shift",
  'if [ -n "$owner" ]; then chown "$owner" "$handover" || exit 97; fi',
  'exec "$@"',
].join("\n");

/** Options of {@link sandboxCommand}. */
export interface SandboxOptions {
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
  /** Folders and files the program must not see (see {@link secretPaths}); needs a mount namespace. */
  hide?: string[];
}

/**
 * The command line that starts a program (normally the kernel) confined to one submission's sandbox,
 * outermost layer first. With bubblewrap ({@link bubblewrapCommand}):
 *
 *   bwrap <own PID, network, mount, IPC, UTS (and user) namespaces; read-only package, node, snapshot; scratch>
 *     sh -c <the grader still lives? [as root: chown connection file]>  prlimit --as --fsize --nproc --cpu
 *     [as root: setpriv --reuid=<its own uid> --no-new-privs]  node --experimental-permission ... <script> <args>
 *
 * As root without bubblewrap:
 *
 *   unshare -n -m  sh -c <cover secrets with empty mounts; chown connection file>
 *     prlimit ...  setsid  setpriv --reuid=<its own uid> --pdeathsig=KILL  node ...
 *
 * where node is `node --experimental-permission --allow-fs-read=<package, scratch>
 * --allow-fs-write=<scratch> --allow-addons --max-old-space-size=<memory> <script> <args>`.
 * No --allow-child-process; --allow-worker only when asked (the kernel's socket thread is a worker). `--allow-addons` is needed for zeromq; a native
 * addon can step around Node's permission model, which is why the OS layers stay underneath it.
 * Example: `sandboxCommand(["dist/kernel/main.js", conn], {...})` -> ["/usr/bin/bwrap", "--unshare-pid", ...].
 */
export function sandboxCommand(scriptAndArgs: string[], options: SandboxOptions): string[] {
  const { protections } = options;
  if (protections.isolation === "bubblewrap" && protections.bwrap) return bubblewrapCommand(scriptAndArgs, options, protections.bwrap);
  const argv: string[] = [];
  const hide = protections.mountNamespace ? (options.hide ?? []) : [];
  const handOver = protections.unprivilegedUser && options.handOver !== undefined ? options.handOver : undefined;
  if (protections.networkNamespace || protections.mountNamespace) {
    argv.push("unshare", ...(protections.networkNamespace ? ["-n"] : []), ...(protections.mountNamespace ? ["-m", "--propagation", "private"] : []), "--");
  }
  if (hide.length > 0 || handOver !== undefined) argv.push(...prepareScript(protections, handOver, undefined, hide));
  argv.push(...limitArgs(options));
  // a session of its own: out of the grader's process group and away from its terminal
  if (protections.isolation !== "none") argv.push("setsid");
  argv.push(...userArgs(protections, true));
  argv.push(...nodeArgs(scriptAndArgs, options));
  return argv;
}

/**
 * The kernel under bubblewrap: its own PID, network, mount, IPC and UTS namespaces (and a user
 * namespace when the grader is not root). Its file system is built declaratively, so it holds only
 * what the kernel needs, whatever the modes of the folders above the package:
 * - /usr and the library links read-only, /proc of its own PID namespace, a minimal /dev;
 * - the package read-only (bind mount) with assignments/ and any of the grader's folders inside it
 *   covered by an empty folder of mode 000; the real node_modules when it is a link elsewhere;
 * - the Node binary and the kernel's startup snapshot read-only, where they are outside those;
 * - the scratch folder, the only writable place; the root itself is remounted read-only;
 * - the grader's liveness pipe (graderAlivePipe), checked before the kernel starts.
 * The grader's assignment, submissions and output folder are simply not there. `JPY_PARENT_PID`
 * is unset: the grader's process id means nothing in the kernel's PID namespace; `--die-with-parent`
 * ends the kernel when the grader dies instead.
 */
export function bubblewrapCommand(scriptAndArgs: string[], options: SandboxOptions, bwrap: string): string[] {
  const { protections, install } = options;
  const asRoot = protections.unprivilegedUser !== null;
  const argv = [bwrap, ...namespaceArgs(asRoot, protections.noNestedUserns ?? false), ...systemMounts()];
  const scratch = realPath(options.scratch);
  const trees: string[] = ["/usr"];
  const made = new Set<string>(["/", "/etc"]);
  /** The folders above a mount point, made 0755 first (bubblewrap may make them 0700, which the kernel's user could not enter). */
  const parents = (dest: string): void => {
    const above: string[] = [];
    for (let dir = path.dirname(dest); !made.has(dir); dir = path.dirname(dir)) above.unshift(dir);
    for (const dir of above) {
      argv.push("--perms", "0755", "--dir", dir);
      made.add(dir);
    }
  };
  const bind = (source: string, flag = "--ro-bind"): void => {
    const real = realPath(source);
    if (trees.some((t) => real === t || real.startsWith(t + path.sep))) return;
    parents(real);
    argv.push(flag, real, real);
    trees.push(real);
  };
  bind(install.packageRoot);
  for (const linked of linkedDependencies(install)) bind(linked);
  const node = options.nodePath ?? process.execPath;
  bind(node);
  // node started by a path through a link (a version manager's shim): the same file under that name
  if (realPath(node) !== path.resolve(node)) {
    parents(path.resolve(node));
    argv.push("--ro-bind", realPath(node), path.resolve(node));
  }
  if (install.snapshotBlob && fs.existsSync(install.snapshotBlob)) bind(install.snapshotBlob);
  if (install.conversions && fs.existsSync(install.conversions)) bind(install.conversions);
  if (install.codeCache && fs.existsSync(install.codeCache)) bind(install.codeCache);
  for (const secret of options.hide ?? []) {
    let real: string;
    try {
      real = realPath(secret);
    } catch {
      continue; // not there: nothing to hide
    }
    if (!trees.some((t) => real === t || real.startsWith(t + path.sep))) continue;
    if (fs.statSync(real).isDirectory()) argv.push("--perms", "0000", "--tmpfs", real);
    else argv.push("--ro-bind", "/dev/null", real);
  }
  const alive = graderAlivePipe();
  if (alive) {
    parents(ALIVE_PIPE_INSIDE);
    argv.push("--ro-bind", alive, ALIVE_PIPE_INSIDE);
  }
  parents(scratch);
  argv.push("--bind", scratch, scratch, "--remount-ro", "/", "--chdir", scratch, "--unsetenv", PARENT_PID_VARIABLE, "--");
  const handOver = asRoot && options.handOver !== undefined ? options.handOver : undefined;
  if (handOver !== undefined || alive) argv.push(...prepareScript(protections, handOver, alive ? ALIVE_PIPE_INSIDE : undefined, []));
  argv.push(...limitArgs(options));
  argv.push(...userArgs(protections, false));
  argv.push(...nodeArgs(scriptAndArgs, options));
  return argv;
}

function realPath(p: string): string {
  return fs.realpathSync(path.resolve(p));
}

/** `sh -c` run before privileges are dropped: checks the grader lives (`alive`), covers `hide` (unshare only), chowns `handOver`. */
function prepareScript(protections: Protections, handOver: string | undefined, alive: string | undefined, hide: string[]): string[] {
  const owner = protections.unprivilegedUser && handOver !== undefined ? `${protections.unprivilegedUser.uid}:${protections.unprivilegedUser.gid}` : "";
  return ["sh", "-c", PREPARE_SCRIPT, "workbook-sandbox", owner, handOver ?? "", alive ?? "", ...hide, "--"];
}

/** `prlimit` with the submission's limits, when this machine has it. */
function limitArgs(options: SandboxOptions): string[] {
  if (!options.protections.resourceLimits) return [];
  const { limits } = options;
  // Address space = heap cap + 2 GiB: V8 reserves virtual space per isolate (the kernel's socket
  // thread is a second one) and for code; 1 GiB of headroom is too little for the kernel to start.
  const addressSpace = (limits.memoryMB + 2048) * 1024 * 1024;
  return ["prlimit", `--as=${addressSpace}`, `--fsize=${limits.fileMB * 1024 * 1024}`, `--nproc=${limits.processes}`, `--cpu=${Math.ceil(limits.totalSeconds) + 5}`, "--core=0", "--"];
}

/**
 * `setpriv` to the kernel's own unprivileged user (root only): no supplementary groups, no
 * capabilities left (inheritable and bounding sets cleared), no new privileges through setuid
 * programs. With `deathSignal` (no bubblewrap): the kernel dies with the grader (`--pdeathsig`).
 */
function userArgs(protections: Protections, deathSignal: boolean): string[] {
  if (!protections.unprivilegedUser) return [];
  const { uid, gid } = protections.unprivilegedUser;
  const args = ["setpriv", `--reuid=${uid}`, `--regid=${gid}`, "--clear-groups"];
  if (protections.isolation === "bubblewrap") args.push("--inh-caps=-all", "--bounding-set=-all", "--no-new-privs");
  if (deathSignal) args.push("--pdeathsig=KILL");
  return [...args, "--"];
}

/** Node with its permission model (reads: package and scratch; writes: scratch) and the kernel's V8 flags. */
function nodeArgs(scriptAndArgs: string[], options: SandboxOptions): string[] {
  const { limits, protections, install, scratch } = options;
  const argv = [options.nodePath ?? process.execPath];
  if (protections.nodePermissions) {
    argv.push("--experimental-permission", "--allow-addons", "--no-warnings");
    if (options.allowWorker) argv.push("--allow-worker");
    for (const readable of readablePaths(install, scratch)) argv.push(`--allow-fs-read=${readable}`);
    argv.push(`--allow-fs-write=${scratch}`);
  }
  argv.push(...kernelV8Flags(limits));
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
