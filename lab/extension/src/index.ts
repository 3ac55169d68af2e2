/**
 * The course's Plotly renderer for JupyterLab 4, shipped as the prebuilt (federated) extension
 * `dl-workbook-labextension` (lab/extension, built by scripts/build-labextension.js with
 * `@jupyterlab/builder`). It draws `application/vnd.plotly.v1+json` outputs with the plotly.js
 * of the `plotly.js-dist` package, loaded as a separate chunk the first time a figure is shown,
 * and a saved notebook's figures draw again from their JSON when it is reopened. Its companion
 * plugin (./plugin.ts) tells the dl-workbook kernel that this front end renders the Plotly MIME
 * type, so the kernel leaves plotly.js out of the `text/html` fallback.
 */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Widget } from "@lumino/widgets";
import type { Message } from "@lumino/messaging";

/** The Plotly MIME type (the one plotly.py and lib/plot write). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A figure as the kernel sends it. */
interface PlotlyJson {
  data: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** plotly.js-dist's API, as the renderer uses it. */
type PlotlyApi = typeof import("plotly.js-dist");

/** Loads plotly.js (a separate chunk, fetched once). It is CommonJS: the bundler hands it over as `default`. */
async function loadPlotly(): Promise<PlotlyApi> {
  const mod = (await import("plotly.js-dist")) as PlotlyApi & { default?: PlotlyApi };
  return mod.default ?? mod;
}

/** One output's figure: a div that plotly.js draws into. */
class PlotlyRenderer extends Widget implements IRenderMime.IRenderer {
  private drawn = false;

  constructor() {
    super();
    this.addClass("dl-workbook-lab-plotly");
    this.node.style.minHeight = "360px";
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const figure = model.data[PLOTLY_MIME] as unknown as PlotlyJson | undefined;
    if (!figure || !Array.isArray(figure.data)) {
      this.node.textContent = `dl-workbook Plotly renderer: the ${PLOTLY_MIME} output has no "data" array`;
      return;
    }
    const Plotly = await loadPlotly();
    await Plotly.newPlot(this.node, figure.data, figure.layout ?? {}, { responsive: true, ...(figure.config ?? {}) });
    this.drawn = true;
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    if (this.drawn) void loadPlotly().then((Plotly) => Plotly.Plots.resize(this.node));
  }

  protected override onBeforeDetach(msg: Message): void {
    if (this.drawn) void loadPlotly().then((Plotly) => Plotly.purge(this.node));
    super.onBeforeDetach(msg);
  }
}

/**
 * The mime extension: rank 0 puts it ahead of `text/html` (rank 50), so Lab draws the JSON and
 * never runs the HTML fallback. `safe: true`: a figure is data, so it draws in untrusted
 * (reopened) notebooks too.
 * @example new JupyterLab({ mimeExtensions: [{ __esModule: true, default: plotlyExtension }] })
 */
export const plotlyExtension: IRenderMime.IExtension = {
  id: "dl-workbook-labextension:plotly",
  rendererFactory: { safe: true, mimeTypes: [PLOTLY_MIME], defaultRank: 0, createRenderer: () => new PlotlyRenderer() },
  rank: 0,
  dataType: "json",
};

export default plotlyExtension;
