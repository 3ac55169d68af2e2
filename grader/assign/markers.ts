/**
 * Marker regions in a cell: `// BEGIN SOLUTION` ... `// END SOLUTION` and
 * `// BEGIN HIDDEN TESTS` ... `// END HIDDEN TESTS`. A marker is a line whose text, after the
 * comment leader (`//`, `#`, `<!--`) and whitespace, is exactly the marker words.
 */
import { MARKERS } from "./format";

/** The two kinds of region. */
export type RegionKind = "solution" | "hidden-tests";

/** A marked region: 0-based line indices of its BEGIN and END marker lines. */
export interface MarkerRegion {
  kind: RegionKind;
  beginLine: number;
  endLine: number;
  /** Leading whitespace of the BEGIN line (the replacement keeps the indentation). */
  indent: string;
}

/** A marker problem, with the 1-based line of the cell it concerns. */
export interface MarkerProblem {
  line: number;
  message: string;
}

const MARKER_OF: Record<string, { kind: RegionKind; begin: boolean }> = {
  [MARKERS.beginSolution]: { kind: "solution", begin: true },
  [MARKERS.endSolution]: { kind: "solution", begin: false },
  [MARKERS.beginHiddenTests]: { kind: "hidden-tests", begin: true },
  [MARKERS.endHiddenTests]: { kind: "hidden-tests", begin: false },
};

/** The marker on a line, if the line is one. */
export function markerOnLine(line: string): { kind: RegionKind; begin: boolean } | undefined {
  const words = line
    .trim()
    .replace(/^(\/\/+|#+|<!--)\s*/, "")
    .replace(/\s*-->$/, "")
    .trim();
  return MARKER_OF[words];
}

/**
 * Finds the marker regions of a cell source and every balance problem: an END without a BEGIN,
 * a BEGIN inside an open region, a region never closed.
 *
 * @example
 * findRegions("function f() {\n  // BEGIN SOLUTION\n  return 1;\n  // END SOLUTION\n}")
 * // { regions: [{ kind: "solution", beginLine: 1, endLine: 3, indent: "  " }], problems: [] }
 */
export function findRegions(source: string): { regions: MarkerRegion[]; problems: MarkerProblem[] } {
  const lines = source.split("\n");
  const regions: MarkerRegion[] = [];
  const problems: MarkerProblem[] = [];
  let open: { kind: RegionKind; beginLine: number; indent: string } | undefined;
  lines.forEach((text, index) => {
    const marker = markerOnLine(text);
    if (!marker) return;
    const name = marker.kind === "solution" ? "SOLUTION" : "HIDDEN TESTS";
    if (marker.begin) {
      if (open) {
        const openName = open.kind === "solution" ? "SOLUTION" : "HIDDEN TESTS";
        problems.push({ line: index + 1, message: `"BEGIN ${name}" inside the "BEGIN ${openName}" region opened on line ${open.beginLine + 1}; close that region first with "END ${openName}".` });
        return;
      }
      open = { kind: marker.kind, beginLine: index, indent: /^\s*/.exec(text)?.[0] ?? "" };
      return;
    }
    if (!open) {
      problems.push({ line: index + 1, message: `"END ${name}" without a matching "BEGIN ${name}" above it.` });
      return;
    }
    if (open.kind !== marker.kind) {
      const openName = open.kind === "solution" ? "SOLUTION" : "HIDDEN TESTS";
      problems.push({ line: index + 1, message: `"END ${name}" closes the "BEGIN ${openName}" region opened on line ${open.beginLine + 1}; use "END ${openName}".` });
      open = undefined;
      return;
    }
    regions.push({ kind: open.kind, beginLine: open.beginLine, endLine: index, indent: open.indent });
    open = undefined;
  });
  if (open) {
    const openName = open.kind === "solution" ? "SOLUTION" : "HIDDEN TESTS";
    problems.push({ line: open.beginLine + 1, message: `"BEGIN ${openName}" is never closed; add an "END ${openName}" line.` });
  }
  return { regions, problems };
}
