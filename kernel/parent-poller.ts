/**
 * The kernel ends when the program that started it is gone, as ipykernel's parent poller does.
 *
 * jupyter_client puts its own process id in the kernel's environment as `JPY_PARENT_PID`. When
 * that front end dies without a shutdown_request (killed, crashed), nothing would ever stop the
 * kernel: it would hold its ports and memory forever. So once a second the kernel checks whether
 * that process still exists, and shuts down the normal way (output flushed, sockets closed) when
 * it does not.
 *
 * The parent is gone when
 * - the kernel was its child and has been re-parented (`process.ppid` changed: this also sees a
 *   parent that died but was not yet reaped), or
 * - `kill(pid, 0)` fails with ESRCH (no such process). EPERM means the process exists but belongs
 *   to another user, as when the grader's sandbox runs the kernel under a user id of its own.
 *
 * Without `JPY_PARENT_PID` nothing is watched, nor when it names no running process at start (a
 * value left over in a shell's environment). On Windows jupyter_client passes a process handle
 * there instead of an id, which Node cannot wait on, so nothing is watched either.
 */

import { PARENT_PID_VARIABLE } from "./wire/environment";

/** The environment variable in which jupyter_client names the process that started the kernel (defined with the wire protocol). */
export { PARENT_PID_VARIABLE };

/** How often the parent is checked. */
export const PARENT_POLL_MS = 1000;

/**
 * The process id to watch, from `env` (`JPY_PARENT_PID`), or undefined when there is none to watch:
 * the variable is unset, empty, not a positive whole number, or the platform is Windows.
 */
export function parentPidFromEnv(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): number | undefined {
  const text = env[PARENT_PID_VARIABLE]?.trim();
  if (!text || platform === "win32" || !/^\d+$/.test(text)) return undefined;
  const pid = Number(text);
  // 0 and 1 are not a front end: kill(0, 0) would test our own process group, and init never ends.
  return Number.isSafeInteger(pid) && pid > 1 ? pid : undefined;
}

/** Sends signal 0 to a process (Node's `process.kill`), which only tests that it can be signalled. */
export type SignalProbe = (pid: number, signal: 0) => void;

/** True unless `kill(pid, 0)` says there is no such process (ESRCH); EPERM means it exists. */
export function processExists(pid: number, probe: SignalProbe = (p, s) => process.kill(p, s)): boolean {
  try {
    probe(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** A running watch on the parent process. */
export interface ParentWatch {
  /** False when the parent did not exist at start, so nothing is watched. */
  readonly watching: boolean;
  /** Stops watching (the kernel is shutting down for another reason). */
  stop(): void;
}

/** What {@link watchParent} reads about the system; the defaults are this process's. */
export interface ParentProbes {
  /** This process's current parent id. */
  ppid(): number;
  exists(pid: number): boolean;
}

const SYSTEM: ParentProbes = { ppid: () => process.ppid, exists: (pid) => processExists(pid) };

/**
 * Calls `onGone` once, on the first check that finds process `parentPid` gone (see the file
 * comment), then stops. The timer is unref'd: watching never keeps a process alive by itself.
 * A parent that does not exist at start is not watched (`watching` is false).
 */
export function watchParent(parentPid: number, onGone: () => void, intervalMs = PARENT_POLL_MS, probes: ParentProbes = SYSTEM): ParentWatch {
  if (!probes.exists(parentPid)) return { watching: false, stop: () => undefined };
  // Only a kernel started directly by its parent can tell by re-parenting (a wrapper such as a sandbox sits in between otherwise).
  const wasChild = probes.ppid() === parentPid;
  const timer = setInterval(() => {
    const gone = (wasChild && probes.ppid() !== parentPid) || !probes.exists(parentPid);
    if (!gone) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return { watching: true, stop: () => clearInterval(timer) };
}
