/** The Redis connection of the grading queue: parsed from `--queue URL`, never logged with its password. */
import { Redis } from "ioredis";

/** The BullMQ queue that carries grading jobs (one for all assignments; a job names its assignment by spec hash). */
export const QUEUE_NAME = "workbook-grade";

/**
 * Checks a `--queue` URL: `redis://HOST:PORT`, `redis://:PASSWORD@HOST:PORT` or `rediss://...` (TLS).
 * Throws naming the option and the accepted forms otherwise.
 * Example: `checkQueueUrl("redis://:s3cret@grader-redis:6379")`
 */
export function checkQueueUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Error in grade: --queue "${redactUrl(url)}" is not a URL; give redis://HOST:PORT, redis://:PASSWORD@HOST:PORT or rediss://HOST:PORT (TLS).`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new Error(`Error in grade: --queue must start with redis:// or rediss:// (TLS), got "${parsed.protocol}//".`);
  }
  if (parsed.hostname === "") throw new Error(`Error in grade: --queue "${redactUrl(url)}" names no host; give redis://HOST:PORT.`);
  return url;
}

/**
 * The URL as it may be printed: the password replaced by `***`.
 * Example: `redactUrl("redis://:pw@h:6379")` -> `"redis://:***@h:6379"`
 */
export function redactUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/i, "$1***@");
}

/**
 * A new ioredis connection for BullMQ (`maxRetriesPerRequest: null`, as BullMQ's workers require):
 * TLS for `rediss://`, the password from the URL. It reconnects by itself after Redis restarts.
 * Example: `const connection = connectQueue("redis://127.0.0.1:6379");`
 */
export function connectQueue(url: string): Redis {
  return new Redis(checkQueueUrl(url), { maxRetriesPerRequest: null, enableOfflineQueue: true });
}
