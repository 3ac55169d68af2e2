/** The Plotly fallback HTML: plotly.js inlined once per session, left out once the front end says it draws the Plotly MIME type. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { frontendAnnounced, plotlyHtml, plotlyRenderedByFrontend, resetPlotlyInlining, PLOTLY_MIME } from "./plotly";

const FIGURE = { data: [{ x: [1, 2], y: [3, 4] }] };
/** plotly.js-dist's banner: present exactly when the library is inlined. */
const LIBRARY = "plotly.js v";

test("plotly.js is inlined into the first figure's HTML only, until a front end announces it renders the Plotly MIME type", () => {
  delete process.env.WORKBOOK_PLOTLY_INLINE;
  resetPlotlyInlining();
  const first = plotlyHtml(FIGURE);
  assert.ok(first.includes(LIBRARY) && first.length > 1_000_000, "the first figure carries plotly.js");
  assert.ok(!plotlyHtml(FIGURE).includes(LIBRARY), "the second reuses it");
  // A front end that renders other types only (or says nothing usable) changes nothing.
  frontendAnnounced({ renders: ["text/html"] });
  frontendAnnounced({ renders: "nonsense" });
  assert.equal(plotlyRenderedByFrontend(), false);
  resetPlotlyInlining();
  assert.ok(plotlyHtml(FIGURE).includes(LIBRARY), "a new session inlines it again");
  // The course's Lab extension's announcement (lab/extension/src/plugin.ts).
  frontendAnnounced({ renders: [PLOTLY_MIME] });
  assert.equal(plotlyRenderedByFrontend(), true);
  resetPlotlyInlining();
  const html = plotlyHtml(FIGURE);
  assert.ok(!html.includes(LIBRARY) && html.length < 2_000, `no plotly.js once the front end draws the JSON (${html.length} characters)`);
  assert.match(html, /window\.Plotly\.newPlot/, "the HTML still draws where the page has Plotly (nbconvert, the book)");
});
