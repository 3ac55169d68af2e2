/**
 * One coordinator per assignment on a queue. Two coordinators of the same assignment on one Redis
 * would both record finished jobs and remove them, and a job one removed looks lost to the other,
 * which queues it again: a submission graded twice. So a coordinator holds a lock in Redis for its
 * assignment (by spec hash) while it runs: a key naming it (host, pid, output folder, start time),
 * set only when absent, with an expiry that the holder renews. A second coordinator is refused
 * with a message naming the first; one restarted after a crash waits until the dead one's lock
 * has expired (at most the lock time) and then goes on.
 */
import * as os from "os";
import type { Redis } from "ioredis";

/** Thrown when another live coordinator holds the assignment's lock: the message names it and says what to do. */
export class CoordinatorBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CoordinatorBusyError";
  }
}

/** Who holds a lock: what the refusal message shows. */
export interface LockHolder {
  host: string;
  pid: number;
  out: string;
  since: string;
}

/** A held lock: renewed until released; `lost()` says why it was lost (Redis gave it to another coordinator), else undefined. */
export interface CoordinatorLock {
  release(): Promise<void>;
  lost(): string | undefined;
}

/** The Redis key of an assignment's coordinator lock. */
export function coordinatorLockKey(specHash: string): string {
  return `workbook-grade:coordinator:${specHash}`;
}

// renews the lock when it is ours, sets it again when Redis lost it (restarted empty); returns the holder's value
const RENEW = `local v = redis.call("GET", KEYS[1])
if v == ARGV[1] then redis.call("PEXPIRE", KEYS[1], ARGV[2]) return v end
if not v then redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2]) return ARGV[1] end
return v`;
// deletes the lock only when it is still ours
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`;

function describe(value: string | null): string {
  try {
    const h = JSON.parse(value ?? "") as LockHolder;
    return `${h.host} pid ${h.pid}, writing to ${h.out}, since ${h.since}`;
  } catch {
    return "an unknown coordinator";
  }
}

/**
 * Takes the lock of the assignment with `specHash` for this coordinator (writing to `out`), waiting
 * up to `lockMs` plus a second for a lock left by a coordinator that died; throws
 * {@link CoordinatorBusyError} naming the holder when it is still held then (its holder renews it:
 * it is alive). Renews the lock every third of `lockMs` until released.
 * Example: `const lock = await lockAssignment(redis, specHash, "grades/", 30000, log); try { ... } finally { await lock.release(); }`
 */
export async function lockAssignment(redis: Redis, specHash: string, out: string, lockMs: number, log: (line: string) => void): Promise<CoordinatorLock> {
  const key = coordinatorLockKey(specHash);
  const mine = JSON.stringify({ host: os.hostname(), pid: process.pid, out, since: new Date().toISOString() } satisfies LockHolder);
  const giveUp = Date.now() + lockMs + 1000;
  let told = false;
  while ((await redis.set(key, mine, "PX", lockMs, "NX")) !== "OK") {
    const holder = await redis.get(key);
    if (Date.now() > giveUp) {
      throw new CoordinatorBusyError(
        `Error in grade: another coordinator is grading this assignment (spec ${specHash.slice(0, 12)}) on this queue: ${describe(holder)}. ` +
          `Two coordinators of one assignment would grade submissions twice, so this one stops. Wait for that one to finish, or stop it ` +
          `(Ctrl-C; the jobs stay queued) and run this command again: a stopped coordinator's lock lapses within ${Math.ceil(lockMs / 1000)} s.`,
      );
    }
    if (!told) log(`waiting for the lock of this assignment's coordinator (${describe(holder)}): if it died, its lock lapses within ${Math.ceil(lockMs / 1000)} s`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  let lostTo: string | undefined;
  const timer = setInterval(
    () => {
      redis
        .eval(RENEW, 1, key, mine, String(lockMs))
        .then((holder) => {
          if (holder !== mine && !lostTo) lostTo = `the coordinator lock of this assignment was taken by ${describe(holder as string)}`;
        })
        .catch(() => undefined); // Redis away: renewed (or set again) at the next tick
    },
    Math.max(200, Math.floor(lockMs / 3)),
  );
  timer.unref();
  return {
    lost: () => lostTo,
    release: async () => {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, mine).catch(() => undefined);
    },
  };
}
