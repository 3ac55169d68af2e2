import { spawnSync } from "child_process";

/**
 * What this machine lets the grader use to confine a student's kernel. Each layer is probed once;
 * a missing layer is reported with the protection that is lost, never silently skipped.
 */
export interface Protections {
  /** `unshare -n`: a fresh network namespace with no interfaces, so no socket reaches anything. */
  networkNamespace: boolean;
  /** `unshare -m`: a private mount namespace in which the grader's secret folders are covered by empty mounts. */
  mountNamespace: boolean;
  /** `setpriv`: the kernel runs as an unprivileged user (group nogroup; each kernel gets a user id of its own, see withOwnUser), so file modes and RLIMIT_NPROC apply. */
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

let cached: Protections | null = null;

/**
 * Probes the platform (once per process) for the sandbox layers.
 * Example: `probeProtections().lost` is `[]` on a Linux machine where the grader runs as root.
 */
export function probeProtections(): Protections {
  if (cached) return cached;
  const lost: string[] = [];
  const networkNamespace = process.platform === "linux" && works("unshare", ["-n", "true"]);
  if (!networkNamespace) lost.push("no network namespace (unshare -n needs root or user namespaces): a submission could open network sockets");
  const mountNamespace = process.platform === "linux" && works("unshare", ["-m", "true"]);
  if (!mountNamespace) lost.push("no mount namespace (unshare -m needs root): the package folder, including assignments/, is readable by submissions; keep hidden tests and solutions outside it");
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const unprivilegedUser = isRoot && works("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "true"]) ? { uid: 65534, gid: 65534 } : null;
  if (!unprivilegedUser) lost.push("kernel runs as the grader's own user (setpriv needs root): file modes do not protect the gradebook, and the process cap is weaker");
  const resourceLimits = process.platform === "linux" && works("prlimit", ["--as=2147483648", "true"]);
  if (!resourceLimits) lost.push("no prlimit: memory is capped only by V8's heap limit, file size and process count are not capped");
  const [major, minor] = process.versions.node.split(".").map(Number);
  const nodePermissions = major > 20 || (major === 20 && minor >= 16);
  if (!nodePermissions) lost.push(`Node ${process.versions.node} lacks --allow-addons: the permission model cannot be used, file access is limited only by the user`);
  cached = { networkNamespace, mountNamespace, unprivilegedUser, resourceLimits, nodePermissions, lost };
  return cached;
}

/** First user id of the range sandboxed programs run as: far above any login or system user. */
const SANDBOX_UID_BASE = 1_900_000_000;
let sandboxUsers = 0;

/**
 * The protections for one sandboxed program, with a user id of its own. RLIMIT_NPROC counts the
 * processes and threads of a *user*, so with one shared user (nobody) a fork bomb in one
 * submission would leave no threads for the kernels of the submissions graded beside it; with a
 * user per kernel the cap holds each kernel alone, and kernels cannot signal each other either.
 * Example: `withOwnUser(probeProtections()).unprivilegedUser` -> `{ uid: 1900123001, gid: 65534 }`.
 */
export function withOwnUser(protections: Protections): Protections {
  if (!protections.unprivilegedUser) return protections;
  sandboxUsers = (sandboxUsers + 1) % 1000;
  const uid = SANDBOX_UID_BASE + (process.pid % 100_000) * 1000 + sandboxUsers;
  return { ...protections, unprivilegedUser: { uid, gid: protections.unprivilegedUser.gid } };
}
