/** What travels on the grading queue: the assignment (to workers only), one job per submission, and its result. */
import { createHash } from "crypto";
import type { Redis } from "ioredis";
import type { SubmissionScore } from "../results";

/** The assignment a worker needs: the spec text exactly as on the coordinator (its sha256 is the spec hash) and the released notebook. */
export interface QueuedAssignment {
  specName: string;
  specText: string;
  releaseName: string;
  releaseText: string;
  specHash: string;
}

/** One job: a submission and the grading policy of the run (limits, late policy). */
export interface GradeJobData {
  specHash: string;
  student: string;
  origin: string;
  /** The submission's bytes, base64. */
  notebook: string;
  /** sha256 of the bytes (the gradebook's content hash). */
  contentHash: string;
  submittedAt: string;
  limits: { cellSeconds: number; totalSeconds: number; memoryMB: number };
  late: { due?: string; grace?: string; latePolicy?: string };
}

/** What a worker returns: the files the coordinator writes and the gradebook row it records. */
export interface GradeJobResult {
  student: string;
  /** The content hash to record (ends in ":grader-failed" when the grader itself failed, so a re-run grades it again). */
  contentHash: string;
  score: SubmissionScore;
  notes: string[];
  resultsJson: string;
  feedbackHtml: string;
  seconds: number;
  worker: string;
}

/**
 * The job id of a submission graded against a spec: re-adding the same submission for the same
 * spec is a no-op in BullMQ, so a restarted coordinator never queues it twice.
 * Formula: id = "g" + sha256(specHash + "\n" + student + "\n" + contentHash)[0:40]
 * Example: `jobIdOf("f00...", "alice", "ba5...")` -> `"g3a1..."`
 */
export function jobIdOf(specHash: string, student: string, contentHash: string): string {
  return "g" + createHash("sha256").update(`${specHash}\n${student}\n${contentHash}`).digest("hex").slice(0, 40);
}

/** The Redis key holding an assignment for the workers. */
export function assignmentKey(specHash: string): string {
  return `workbook-grade:assignment:${specHash}`;
}

/**
 * Puts the assignment where workers read it (the coordinator, at start and after Redis lost it).
 * Example: `await putAssignment(redis, queued)`
 */
export async function putAssignment(redis: Redis, assignment: QueuedAssignment): Promise<void> {
  await redis.set(assignmentKey(assignment.specHash), JSON.stringify(assignment));
}

/**
 * Reads the assignment of a job (a worker). Throws when Redis no longer holds it (the job is then
 * retried, once the coordinator has put it back).
 * Example: `const assignment = await getAssignment(redis, job.data.specHash);`
 */
export async function getAssignment(redis: Redis, specHash: string): Promise<QueuedAssignment> {
  const text = await redis.get(assignmentKey(specHash));
  if (text === null) throw new Error(`the assignment with spec hash ${specHash.slice(0, 12)} is not in Redis (was Redis restarted?); the coordinator puts it back while it runs`);
  const assignment = JSON.parse(text) as QueuedAssignment;
  const actual = createHash("sha256").update(assignment.specText).digest("hex");
  if (actual !== specHash) throw new Error(`the assignment in Redis has spec hash ${actual.slice(0, 12)}, the job wants ${specHash.slice(0, 12)}`);
  return assignment;
}
