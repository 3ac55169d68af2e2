/**
 * Claims as checks. A notebook's prose is a claim about its outputs ("SGD ends below Adam",
 * "the gradient norm grows"); the code cell right after it (tagged `claim`) states the same
 * claim with `claim(...)`, which shows a tick and the evidence while the claim holds and fails
 * the cell, and with it the notebook run and the book build, the day it stops holding.
 */
import { JUPYTER_DISPLAY, MimeBundle } from "../display";

/** The figures a claim rests on, printed beside it: `{ sgd: 3.9e-29, adam: 2.9e-17 }`. */
export type Evidence = Record<string, number | string | boolean>;

/** Thrown by {@link claim} when the notebook's own output contradicts its text. */
export class ClaimError extends Error {
  constructor(
    readonly statement: string,
    readonly evidence: Evidence,
  ) {
    super(`the notebook's claim no longer holds: "${statement}"${formatEvidence(evidence)}. Fix the text above this cell or the demo it describes.`);
    this.name = "ClaimError";
  }
}

/** A claim that held, shown as "✓ statement (evidence)". */
export class CheckedClaim {
  constructor(
    readonly statement: string,
    readonly evidence: Evidence,
  ) {}

  toString(): string {
    return `✓ ${this.statement}${formatEvidence(this.evidence)}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const evidence = formatEvidence(this.evidence);
    return {
      "text/plain": this.toString(),
      "text/html": `<div class="workbook-claim">&#10003; <b>${escapeHtml(this.statement)}</b>${escapeHtml(evidence)}</div>`,
    };
  }
}

/**
 * Checks one claim that the notebook's text makes about its outputs.
 *
 * @param statement the claim in the words of the text above, e.g. "SGD ends below Adam on the valley"
 * @param holds whether the outputs bear it out
 * @param evidence the figures it rests on, printed with it (and in the error when it fails)
 * @returns a {@link CheckedClaim} that displays as "✓ statement (evidence)"
 * @throws {@link ClaimError} naming the statement and the evidence when `holds` is false
 *
 * @example
 * claim("SGD ends below Adam on the long valley", final.sgd < final.adam, { sgd: final.sgd, adam: final.adam });
 */
export function claim(statement: string, holds: boolean, evidence: Evidence = {}): CheckedClaim {
  if (typeof statement !== "string" || statement.trim() === "") {
    throw new TypeError('Error in claim: the first argument must be the claim in words, e.g. claim("the norm grows", norms[9] > norms[0]).');
  }
  if (typeof holds !== "boolean") {
    throw new TypeError(`Error in claim("${statement}"): the second argument must be a boolean (the comparison that checks it), got ${typeof holds}.`);
  }
  if (!holds) throw new ClaimError(statement, evidence);
  return new CheckedClaim(statement, evidence);
}

function formatEvidence(evidence: Evidence): string {
  const parts = Object.entries(evidence).map(([name, value]) => `${name} = ${typeof value === "number" ? formatNumber(value) : String(value)}`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const magnitude = Math.abs(x);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5) ? x.toExponential(2) : x.toPrecision(4);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
