import type { LateVerdict } from "../results";

export type { LateVerdict };

/**
 * Late submissions: a due date, a grace period, and a penalty (none, zero, or a percentage per
 * started day late, counted from the due date once the grace period is over).
 */
export interface LatePolicy {
  /** The due date; null: no due date, nothing is late. */
  due: Date | null;
  /** Minutes after `due` that still count as on time. */
  graceMinutes: number;
  /** "none": late is recorded, not penalised; "zero": a late submission scores 0; "per-day": `percentPerDay` off per started day. */
  kind: "none" | "zero" | "per-day";
  /** Percent of the score taken off per started late day (per-day only). */
  percentPerDay: number;
}

/** No due date: nothing is late. */
export const NO_LATE_POLICY: LatePolicy = { due: null, graceMinutes: 0, kind: "none", percentPerDay: 0 };

/**
 * Parses the command line's `--due ISO --grace 15m|2h|1d --late-policy none|zero|per-day:10`.
 * Errors name the option and show a correct example.
 */
export function parseLatePolicy(due: string | undefined, grace: string | undefined, policy: string | undefined): LatePolicy {
  let dueDate: Date | null = null;
  if (due !== undefined) {
    dueDate = new Date(due);
    if (Number.isNaN(dueDate.getTime())) throw new Error(`Error in grade: --due "${due}" is not an ISO date; write e.g. --due 2026-12-01T23:59:00Z.`);
  }
  let graceMinutes = 0;
  if (grace !== undefined) {
    const m = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)?$/.exec(grace.trim());
    if (!m) throw new Error(`Error in grade: --grace "${grace}" is not a duration; write e.g. --grace 15m, --grace 2h or --grace 1d.`);
    graceMinutes = Number(m[1]) * (m[2] === "h" ? 60 : m[2] === "d" ? 1440 : 1);
  }
  const text = (policy ?? (dueDate ? "per-day:10" : "none")).trim();
  if (text === "none" || text === "zero") return { due: dueDate, graceMinutes, kind: text, percentPerDay: 0 };
  const perDay = /^per-day:(\d+(?:\.\d+)?)%?$/.exec(text);
  if (perDay && Number(perDay[1]) <= 100) return { due: dueDate, graceMinutes, kind: "per-day", percentPerDay: Number(perDay[1]) };
  throw new Error(`Error in grade: --late-policy "${text}" is not known; use none, zero, or per-day:<percent> (e.g. per-day:10).`);
}

/**
 * The penalty for a submission made at `submitted`:
 *
 *   daysLate = ceil((submitted - due - grace) / 1 day), penalty = min(1, daysLate * percentPerDay / 100)
 *
 * Example: due Monday 23:59, grace 15m, per-day 10%: submitted Tuesday 10:00 -> 1 day late, 10% off.
 */
export function latePenalty(submitted: Date, policy: LatePolicy): LateVerdict {
  if (!policy.due) return { secondsLate: 0, daysLate: 0, penalty: 0, message: "on time (no due date)" };
  const late = (submitted.getTime() - policy.due.getTime()) / 1000;
  const afterGrace = late - policy.graceMinutes * 60;
  if (afterGrace <= 0) return { secondsLate: Math.max(0, late), daysLate: 0, penalty: 0, message: late > 0 ? "on time (within the grace period)" : "on time" };
  const daysLate = Math.ceil(afterGrace / 86400);
  const penalty = policy.kind === "zero" ? 1 : policy.kind === "per-day" ? Math.min(1, (daysLate * policy.percentPerDay) / 100) : 0;
  const hours = (late / 3600).toFixed(1);
  return { secondsLate: late, daysLate, penalty, message: `late by ${hours} h (${daysLate} day${daysLate === 1 ? "" : "s"} after grace): ${Math.round(penalty * 100)}% off` };
}
