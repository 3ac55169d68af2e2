import type { IOutput } from "@jupyterlab/nbformat";
import { asText } from "../../kernel/wire";
import type { Notebook } from "../assign/format";
import { cellSource } from "../assign/format";
import type { CellRun, SubmissionScore } from "../results";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const MAX_TEXT = 20_000;

/**
 * One output of the student's own cell, safely: text is escaped, images are shown only as
 * base64 PNG/JPEG/SVG-as-image, and student HTML is never inlined (it could run script in the TA's
 * browser), so a Plotly figure is listed by name.
 */
function renderOutput(output: IOutput): string {
  if (output.output_type === "stream") return `<pre class="${output.name === "stderr" ? "stderr" : "stdout"}">${escapeHtml(asText(output.text).slice(0, MAX_TEXT))}</pre>`;
  if (output.output_type === "error") return `<pre class="error">${escapeHtml(`${asText(output.ename)}: ${asText(output.evalue)}`.slice(0, MAX_TEXT))}</pre>`;
  const data = (output as { data?: Record<string, unknown> }).data ?? {};
  for (const mime of ["image/png", "image/jpeg"]) {
    const b64 = asText(data[mime]).replace(/\s/g, "");
    if (b64 && /^[A-Za-z0-9+/=]+$/.test(b64)) return `<img alt="plot" src="data:${mime};base64,${b64}">`;
  }
  if (data["image/svg+xml"]) return `<img alt="plot" src="data:image/svg+xml;base64,${Buffer.from(asText(data["image/svg+xml"])).toString("base64")}">`;
  if (data["application/vnd.plotly.v1+json"]) return `<p class="note">(an interactive Plotly figure; open the notebook to see it)</p>`;
  if (data["text/plain"] !== undefined) return `<pre>${escapeHtml(asText(data["text/plain"]).slice(0, MAX_TEXT))}</pre>`;
  return "";
}

/**
 * The student's feedback page: total score, late penalty, each public and hidden test by name
 * with pass/fail and its message, repairs made while sanitising, and the student's own cells with
 * their outputs and plots. Hidden test code and solutions are never in it: only test names and
 * messages computed by the grader are.
 */
export function feedbackHtml(input: { student: string; assignment: string; score: SubmissionScore; notebook: Notebook; cells: CellRun[]; repairs: string[]; notes: string[] }): string {
  const { score } = input;
  const rows = score.tests
    .map(
      (t) =>
        `<tr class="${t.status}"><td>${escapeHtml(t.name)}</td><td>${t.kind}</td><td>${t.status === "passed" ? "pass" : t.status === "partial" ? "partial" : "fail"}</td><td>${t.score} / ${t.maxScore}</td><td>${escapeHtml(t.message)}</td></tr>`,
    )
    .join("\n");
  const cells = input.cells
    .map((run) => {
      const cell = input.notebook.cells[run.index];
      const problem = run.problem ? `<p class="problem">${escapeHtml(run.problem)}</p>` : "";
      return `<section class="cell"><pre class="source">${escapeHtml(cellSource(cell).slice(0, MAX_TEXT))}</pre>${problem}${run.outputs.map(renderOutput).join("\n")}</section>`;
    })
    .join("\n");
  const list = (items: string[]): string => (items.length ? `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>` : "");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(input.assignment)}: feedback for ${escapeHtml(input.student)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
tr.passed td:nth-child(3){color:#16632a}tr.failed td:nth-child(3){color:#a11}tr.partial td:nth-child(3){color:#8a5a00}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;white-space:pre-wrap}pre.error,pre.stderr,.problem{color:#a11}
img{max-width:100%}
</style></head><body>
<h1>${escapeHtml(input.assignment)}</h1>
<p>Student: <b>${escapeHtml(input.student)}</b></p>
<p class="score">Score: <b>${score.score} / ${score.maxScore}</b>${score.late.penalty > 0 ? ` (autograded ${score.rawScore}, ${escapeHtml(score.late.message)})` : ` (${escapeHtml(score.late.message)})`}</p>
${list(input.notes)}
<h2>Tests</h2>
<table><thead><tr><th>Test</th><th>Kind</th><th>Result</th><th>Points</th><th>Message</th></tr></thead><tbody>
${rows}
</tbody></table>
${input.repairs.length ? `<h2>Changes made before grading</h2>${list(input.repairs)}` : ""}
<h2>Your notebook as it ran</h2>
${cells}
</body></html>
`;
}
