/**
 * What `workbook grade` is asked to do, as parsed from its command line (cli-grade.ts) and taken by
 * local grading (gradeAll) and by the queue's coordinator (queue/coordinator.ts). A module of its
 * own, so that neither imports the other for it.
 * Example: `const args: GradeArgs = { assignment: "assignments/01-adam", submissions: "subs", out: "grades", jobs: 2, cellSeconds: 30, totalSeconds: 300, memoryMB: 1024, quiet: false };`
 */
export interface GradeArgs {
  assignment: string;
  submissions: string;
  out: string;
  /** Submissions graded at once here (with --queue: only when given, see jobsGiven). */
  jobs: number;
  cellSeconds: number;
  totalSeconds: number;
  memoryMB: number;
  due?: string;
  grace?: string;
  latePolicy?: string;
  quiet: boolean;
  /** Grade even without the sandbox layers a run needs (see missingForGrading); every result says so. */
  unsafeNoSandbox?: boolean;
  /** Grade on this BullMQ queue (redis:// or rediss:// URL) instead of locally. */
  queue?: string;
  /** --jobs was given (with --queue: the coordinator grades that many at once itself). */
  jobsGiven?: boolean;
}

/** What the queue's coordinator takes: the grading fields, the queue, and the grading slots it runs itself (0: it only coordinates). */
export type QueueGradeArgs = Omit<GradeArgs, "jobs" | "jobsGiven" | "queue"> & { queue: string; localJobs: number };
