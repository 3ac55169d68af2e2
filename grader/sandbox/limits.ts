/**
 * The limits one submission runs under. Every number here is enforced by a layer of the sandbox
 * (see `protections.ts`), and each has a test in `sandbox.test.ts`.
 */
export interface SandboxLimits {
  /** Wall-clock seconds one cell (student cell or one hidden-test call) may run before it is interrupted, then killed. */
  cellSeconds: number;
  /** Wall-clock seconds for the whole submission (all cells and all tests). */
  totalSeconds: number;
  /** Memory cap in MiB: the V8 heap limit; the process address space (RLIMIT_AS) is capped 2 GiB above it, for V8's reservations and off-heap buffers. */
  memoryMB: number;
  /** Bytes of output (stdout, stderr, display data) kept per submission; past it the kernel is stopped. */
  outputBytes: number;
  /** Largest file, in MiB, the kernel may write into its scratch folder (RLIMIT_FSIZE). */
  fileMB: number;
  /** Processes and threads one kernel may own (RLIMIT_NPROC, per kernel: each runs as a user of its own); Node's permission model already forbids child processes. */
  processes: number;
}

/** Defaults: generous for the course's assignments, tight enough that a hostile submission costs little. */
export const DEFAULT_LIMITS: SandboxLimits = {
  cellSeconds: 30,
  totalSeconds: 300,
  memoryMB: 1024,
  outputBytes: 1 << 20,
  fileMB: 64,
  processes: 512,
};

/** Reads and checks user-given limits; errors name the option a TA should fix. */
export function checkLimits(limits: SandboxLimits): SandboxLimits {
  const positive: Array<[keyof SandboxLimits, string]> = [
    ["cellSeconds", "--timeout-cell"],
    ["totalSeconds", "--timeout"],
    ["memoryMB", "--memory"],
    ["outputBytes", "output cap"],
    ["fileMB", "file size cap"],
    ["processes", "process cap"],
  ];
  for (const [key, option] of positive) {
    const value = limits[key];
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`Error in grade: ${option} must be a positive number, got ${String(value)}.`);
    }
  }
  if (limits.memoryMB < 256) {
    throw new Error(`Error in grade: --memory ${limits.memoryMB} MB is too small for a TypeScript kernel; give at least 256.`);
  }
  return limits;
}
