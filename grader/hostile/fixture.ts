import * as fs from "fs";
import * as path from "path";
import type { GradingSpec, Notebook, NbgraderCellMetadata } from "../assign/format";

/**
 * A two-function assignment used by the grader's tests and benchmark: `scale(x, a) = a * x` and
 * `sumSquares(x) = sum_i x_i^2`. Expected values are computed here by the reference solution
 * (in the grader's process), exactly as `workbook assign generate` records them.
 */
export const REFERENCE = {
  scale: (x: number[], a: number): number[] => x.map((v) => a * v),
  sumSquares: (x: number[]): number => x.reduce((s, v) => s + v * v, 0),
};

const meta = (m: Partial<NbgraderCellMetadata> & { grade_id: string }): { nbgrader: NbgraderCellMetadata } => ({
  nbgrader: { grade: false, solution: false, locked: false, schema_version: 3, ...m },
});

type CellSpec = { type: "code" | "markdown"; source: string; nbgrader?: Partial<NbgraderCellMetadata> & { grade_id: string } };

function cell(spec: CellSpec): Notebook["cells"][number] {
  const metadata = spec.nbgrader ? meta(spec.nbgrader) : {};
  return spec.type === "code" ? { cell_type: "code", source: spec.source, metadata, outputs: [], execution_count: null } : { cell_type: "markdown", source: spec.source, metadata };
}

/** The solution cells' student-facing placeholders and the correct answers. */
export const ANSWERS = {
  scaleStub: 'function scale(x: number[], a: number): number[] {\n  throw new Error("Not implemented: scale");\n}',
  sumStub: 'function sumSquares(x: number[]): number {\n  throw new Error("Not implemented: sumSquares");\n}',
  scale: "function scale(x: number[], a: number): number[] {\n  return x.map((v) => a * v);\n}",
  sum: "function sumSquares(x: number[]): number {\n  let s = 0;\n  for (const v of x) s += v * v;\n  return s;\n}",
};

/** The released student notebook: intro, two solution cells, two locked test cells. */
export function releaseNotebook(): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "dl-workbook", display_name: "TypeScript (dl-workbook)", language: "typescript" } },
    cells: [
      cell({ type: "markdown", source: "# Scaling and sums\nImplement `scale` and `sumSquares`.", nbgrader: { grade_id: "intro", locked: true } }),
      cell({ type: "code", source: ANSWERS.scaleStub, nbgrader: { grade_id: "scale", solution: true } }),
      cell({
        type: "code",
        source: 'if (scale([1, 2], 3)[1] !== 6) throw new Error("scale([1, 2], 3) should be [3, 6]");\nconsole.log("scale: public tests pass");',
        nbgrader: { grade_id: "test-scale", grade: true, locked: true, points: 4 },
      }),
      cell({ type: "code", source: ANSWERS.sumStub, nbgrader: { grade_id: "sum", solution: true } }),
      cell({ type: "code", source: 'if (sumSquares([3, 4]) !== 25) throw new Error("sumSquares([3, 4]) should be 25");', nbgrader: { grade_id: "test-sum", grade: true, locked: true, points: 2 } }),
    ],
  };
}

/** The grading spec of the fixture: hidden calls, expected values from {@link REFERENCE}. */
export function gradingSpec(): GradingSpec {
  const scaleCases: Array<[string, number[], number]> = [
    ["scales a long vector", [0.5, -1.25, 3, 1e-3, 7], 2.5],
    ["scales by a negative factor", [1, 2, 3], -0.1],
  ];
  return {
    specVersion: 1,
    assignment: "99-fixture",
    sourceNotebook: "99-fixture.source.ipynb",
    studentNotebook: "99-fixture.ipynb",
    totalPoints: 6,
    autograded: [
      {
        gradeId: "test-scale",
        name: "scale",
        points: 4,
        cellIndex: 2,
        publicTestsWeight: 1,
        hiddenCases: scaleCases.map(([name, x, a]) => ({
          name,
          call: `scale(${JSON.stringify(x)}, ${a})`,
          compare: { kind: "relative-error" as const, threshold: 1e-9 },
          weight: 1,
          expected: REFERENCE.scale(x, a),
        })),
      },
      {
        gradeId: "test-sum",
        name: "sumSquares",
        points: 2,
        cellIndex: 4,
        publicTestsWeight: 1,
        hiddenCases: [
          {
            name: "sum of squares of five values",
            call: "sumSquares([1, 2, 3, 4, 5.5])",
            compare: { kind: "relative-error", threshold: 1e-9, bands: [{ maxRelativeError: 1e-2, credit: 0.5 }] },
            weight: 1,
            expected: REFERENCE.sumSquares([1, 2, 3, 4, 5.5]),
          },
        ],
      },
    ],
    manual: [],
    checksums: {},
    sourceSha256: "",
  };
}

/** Writes the fixture assignment (spec + release) into `dir`; returns the spec file's path. */
export function writeFixtureAssignment(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "99-fixture.ipynb"), JSON.stringify(releaseNotebook(), null, 1));
  const specFile = path.join(dir, "99-fixture.grading.json");
  fs.writeFileSync(specFile, JSON.stringify(gradingSpec(), null, 1));
  return specFile;
}

/** A submission: the release with the solution cells replaced (and any cells added or changed by `edit`). */
export function submission(scaleSource: string, sumSource: string, edit?: (cells: Notebook["cells"]) => void): Notebook {
  const nb = releaseNotebook();
  nb.cells[1].source = scaleSource;
  nb.cells[3].source = sumSource;
  edit?.(nb.cells);
  return nb;
}
