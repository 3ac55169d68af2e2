import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * How each kernel is put into namespaces of its own:
 * - "bubblewrap": `bwrap` (Debian's bubblewrap, what Flatpak relies on): PID, network, mount, IPC
 *   and UTS namespaces, plus a user namespace when the grader is not root. Works without root.
 * - "unshare": `unshare -n -m` (root only, where bubblewrap is missing): network and mount
 *   namespaces; signals are kept from the grader by the kernel's own user id (setpriv).
 * - "none": no namespaces (no bubblewrap, no root, or user namespaces disabled).
 */
export type Isolation = "bubblewrap" | "unshare" | "none";

/**
 * What this machine lets the grader use to confine a student's kernel. Each layer is probed once;
 * a missing layer is reported with the protection that is lost, never silently skipped.
 */
export interface Protections {
  /** Which tool puts kernels into namespaces (see {@link Isolation}). */
  isolation: Isolation;
  /** The bubblewrap program (absolute path) when `isolation` is "bubblewrap". */
  bwrap?: string;
  /** bubblewrap keeps the kernel from making user namespaces of its own (`--disable-userns`, bubblewrap 0.8 and later; not as root). */
  noNestedUserns?: boolean;
  /** A fresh network namespace with no interfaces besides its own loopback: no socket reaches anything. */
  networkNamespace: boolean;
  /** A mount namespace in which the grader's secret folders are not there (bubblewrap) or covered by empty mounts (unshare). */
  mountNamespace: boolean;
  /** A PID namespace (bubblewrap): the kernel sees only itself, so it cannot signal the grader or another kernel. */
  pidNamespace: boolean;
  /** An IPC namespace (bubblewrap): no System V IPC or POSIX message queues shared with the grader. */
  ipcNamespace: boolean;
  /** A user namespace (bubblewrap run by an ordinary user): the kernel holds no capability outside it. */
  userNamespace: boolean;
  /** `setpriv` (root only): the kernel runs as an unprivileged user (group nogroup; each kernel gets a user id of its own, see withOwnUser), so file modes and RLIMIT_NPROC apply. */
  unprivilegedUser: { uid: number; gid: number } | null;
  /** `prlimit`: address space, file size, process count and CPU-time limits on the kernel process. */
  resourceLimits: boolean;
  /** Node's permission model (`--experimental-permission`): file reads/writes, child processes and workers. */
  nodePermissions: boolean;
  /** One line per missing layer: what a hostile submission could then do. */
  lost: string[];
}

function works(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: "ignore", timeout: 10_000 });
  return result.status === 0;
}

/** The absolute path of `program` on `searchPath` (a PATH value), or undefined. */
export function findProgram(program: string, searchPath = process.env.PATH ?? ""): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Options of {@link probeProtections} (for tests: a PATH without bubblewrap, or a fresh probe). */
export interface ProbeOptions {
  /** Where to look for bwrap, unshare, setpriv and prlimit; default process.env.PATH. */
  searchPath?: string;
  /** Probe again instead of returning the result of the first probe of this process. */
  fresh?: boolean;
}

let cached: Protections | null = null;

/** True when the grader runs as root (and may switch kernels to other user ids). */
export function runningAsRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/**
 * Runs `true` in the namespaces a kernel would get, as `bubblewrapCommand` (./command) sets them up
 * (and, as root, switched to an unprivileged user with setpriv inside): does bubblewrap work here?
 */
function bubblewrapWorks(bwrap: string, asRoot: boolean, noNestedUserns: boolean): boolean {
  const inside = asRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "true"] : ["true"];
  return works(bwrap, [...namespaceArgs(asRoot, noNestedUserns), ...systemMounts(), "--", ...inside]);
}

/**
 * bubblewrap's namespace options for a kernel: PID, network, IPC, UTS and (where possible) cgroup
 * namespaces; a user namespace when not root (as root, none: setpriv switches the kernel to a
 * user id of its own inside, which a user namespace could not map). `--die-with-parent` ends the
 * sandbox when the grader dies, `--new-session` takes it out of the grader's session and process
 * group (and away from its terminal: no TIOCSTI), `--cap-drop ALL` leaves it no capability (as
 * root, only those needed to enter the scratch folder, hand over the connection file and switch
 * users; setpriv drops them all with the switch, before the kernel starts).
 */
export function namespaceArgs(asRoot: boolean, noNestedUserns = true): string[] {
  const common = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--cap-drop", "ALL"];
  if (asRoot) return [...common, "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_CHOWN", "--cap-add", "CAP_SETPCAP", "--cap-add", "CAP_DAC_OVERRIDE"];
  return ["--unshare-user", ...(noNestedUserns ? ["--disable-userns"] : []), ...common];
}

/**
 * The system folders a kernel needs, read-only: /usr (Node, sh, prlimit, setpriv and their
 * libraries) and the top-level links or folders of the library path; /proc of the kernel's own PID
 * namespace; a minimal /dev. Nothing else of the machine: no /etc (besides the dynamic linker's
 * cache), /home, /root, /tmp, /var or /run.
 */
export function systemMounts(): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const top of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(top);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push("--symlink", fs.readlinkSync(top), top);
    else if (stat.isDirectory()) args.push("--ro-bind", top, top);
  }
  // /etc made explicitly (a parent made for a bind mount can be 0700): Node's OpenSSL looks for its config there
  args.push("--perms", "0755", "--dir", "/etc", "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache", "--ro-bind-try", "/etc/alpine-release", "/etc/alpine-release");
  args.push("--proc", "/proc", "--dev", "/dev");
  return args;
}

/**
 * Probes the platform (once per process) for the sandbox layers.
 * Example: `probeProtections().isolation` is "bubblewrap" on a Linux machine with bubblewrap
 * installed and user namespaces allowed, as root or not.
 */
export function probeProtections(options: ProbeOptions = {}): Protections {
  if (cached && !options.fresh && options.searchPath === undefined) return cached;
  const searchPath = options.searchPath ?? process.env.PATH ?? "";
  const linux = process.platform === "linux";
  const asRoot = runningAsRoot();
  const lost: string[] = [];
  const program = (name: string): string | undefined => (linux ? findProgram(name, searchPath) : undefined);
  const bwrap = program("bwrap");
  const unshare = program("unshare");
  const setpriv = program("setpriv");
  const prlimit = program("prlimit");

  let isolation: Isolation = "none";
  // --disable-userns is new in bubblewrap 0.8 (Debian 12; Ubuntu 22.04 has 0.6): without it, the rest still holds
  let noNestedUserns = !asRoot;
  if (bwrap && bubblewrapWorks(bwrap, asRoot, noNestedUserns)) isolation = "bubblewrap";
  else if (bwrap && noNestedUserns && bubblewrapWorks(bwrap, asRoot, false)) {
    isolation = "bubblewrap";
    noNestedUserns = false;
    lost.push("bubblewrap has no --disable-userns (before 0.8): a kernel could create user namespaces of its own inside its sandbox (more kernel attack surface, no way out of the sandbox)");
  } else if (asRoot && unshare && works(unshare, ["-n", "-m", "true"])) isolation = "unshare";
  const bubblewrap = isolation === "bubblewrap";
  const networkNamespace = isolation !== "none";
  const mountNamespace = isolation !== "none";
  const pidNamespace = bubblewrap;
  const ipcNamespace = bubblewrap;
  const userNamespace = bubblewrap && !asRoot;
  if (!bubblewrap) {
    const why = !linux
      ? `namespaces need Linux (this is ${process.platform})`
      : !bwrap
        ? "bubblewrap (bwrap) is not installed"
        : "bubblewrap is installed but cannot create namespaces here (user namespaces disabled, or a container without the rights)";
    if (isolation === "unshare") lost.push(`no PID or IPC namespace (${why}; running as root, unshare -n -m is used instead): kernels see the grader's processes, though as other users they cannot signal them`);
    else lost.push(`no PID namespace (${why}): a submission can see and signal the grader and the other kernels`);
  }
  if (!networkNamespace) lost.push("no network namespace: a submission could open network sockets, also to services on this machine");
  if (!mountNamespace) lost.push("no mount namespace: the package folder, including assignments/, the submissions and the output folder are readable by submissions as far as file modes allow");
  const unprivilegedUser = asRoot && setpriv && works(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "true"]) ? { uid: 65534, gid: 65534 } : null;
  if (!unprivilegedUser && !userNamespace) lost.push("kernel runs as the grader's own user (setpriv needs root): file modes do not protect the gradebook, and the process cap is weaker");
  const resourceLimits = linux && prlimit !== undefined && works(prlimit, ["--as=2147483648", "true"]);
  if (!resourceLimits) lost.push("no prlimit: memory is capped only by V8's heap limit, file size and process count are not capped");
  const [major, minor] = process.versions.node.split(".").map(Number);
  const nodePermissions = major > 20 || (major === 20 && minor >= 16);
  if (!nodePermissions) lost.push(`Node ${process.versions.node} lacks --allow-addons: the permission model cannot be used, file access is limited only by the user`);
  const result: Protections = {
    isolation,
    bwrap: bubblewrap ? bwrap : undefined,
    noNestedUserns: bubblewrap && noNestedUserns,
    networkNamespace,
    mountNamespace,
    pidNamespace,
    ipcNamespace,
    userNamespace,
    unprivilegedUser,
    resourceLimits,
    nodePermissions,
    lost,
  };
  // only the probe of this machine as it is (default PATH) is kept for later calls
  if (options.searchPath === undefined) cached = result;
  return result;
}

/** `p` with every OS layer switched off (no bubblewrap or unshare, no namespace, no user of its own): what is left is prlimit and Node's permission model. */
export function withoutOsLayers(p: Protections): Protections {
  return {
    ...p,
    isolation: "none",
    bwrap: undefined,
    networkNamespace: false,
    mountNamespace: false,
    pidNamespace: false,
    ipcNamespace: false,
    userNamespace: false,
    unprivilegedUser: null,
  };
}

/**
 * The layers without which grading here is unsafe, each as a line naming the layer and what a
 * submission could then do; empty when a grading run may go ahead. A kernel must have no network,
 * must not see the grader's folders, and must not be able to signal the grader (a PID namespace,
 * or a user id of its own).
 * Example: `missingForGrading(probeProtections())` -> `[]` as root, or with bubblewrap.
 */
export function missingForGrading(p: Protections): string[] {
  const missing: string[] = [];
  if (!p.networkNamespace) missing.push("network namespace: a submission could reach services on this machine and the network");
  if (!p.mountNamespace) missing.push("mount namespace: a submission could read the hidden tests and other students' files as far as file modes allow");
  if (!p.pidNamespace && !p.unprivilegedUser) missing.push("PID namespace or a user of its own: a submission could kill the grader (process.kill(process.ppid)) and the other kernels");
  return missing;
}

/**
 * Why a grading run refuses to start here, and what a TA can do: install bubblewrap, allow user
 * namespaces, grade as root, or pass `--unsafe-no-sandbox`.
 */
export function refusalMessage(p: Protections): string {
  const missing = missingForGrading(p);
  return [
    "Error in grade: this machine cannot sandbox the students' kernels, so nothing was graded.",
    ...missing.map((m) => `  missing layer: ${m}`),
    ...p.lost.map((l) => `  (${l})`),
    "To fix it, one of:",
    "  - install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) and allow user namespaces",
    "    (sysctl user.max_user_namespaces > 0; on Debian before 11 kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 an AppArmor profile for bwrap or kernel.apparmor_restrict_unprivileged_userns=0);",
    "  - grade as root on Linux (sudo), where unshare and setpriv are used;",
    "  - grade on a Linux machine or VM that has them (macOS and Windows have no such namespaces);",
    "  - or, only for submissions you trust, pass --unsafe-no-sandbox: grading goes ahead and every result says it ran unsandboxed.",
    "`workbook grade --check-sandbox` shows the layers in force and tests each.",
  ].join("\n");
}

/** First user id of the range sandboxed programs run as: far above any login or system user. */
const SANDBOX_UID_BASE = 1_900_000_000;
let sandboxUsers = 0;

/**
 * The protections for one sandboxed program, with a user id of its own. RLIMIT_NPROC counts the
 * processes and threads of a *user*, so with one shared user (nobody) a fork bomb in one
 * submission would leave no threads for the kernels of the submissions graded beside it; with a
 * user per kernel the cap holds each kernel alone, and kernels cannot signal each other either.
 * (Without root, bubblewrap gives each kernel a user namespace, in which the cap counts that
 * kernel alone too.)
 * Example: `withOwnUser(probeProtections()).unprivilegedUser` -> `{ uid: 1900123001, gid: 65534 }`.
 */
export function withOwnUser(protections: Protections): Protections {
  if (!protections.unprivilegedUser) return protections;
  sandboxUsers = (sandboxUsers + 1) % 1000;
  const uid = SANDBOX_UID_BASE + (process.pid % 100_000) * 1000 + sandboxUsers;
  return { ...protections, unprivilegedUser: { uid, gid: protections.unprivilegedUser.gid } };
}
