/**
 * `dl-workbook/plot`: Plotly figures that display themselves in the notebook
 * (`application/vnd.plotly.v1+json`), and helpers for the plots the course draws: loss curves,
 * contours with optimizer paths, bar charts with error bars, heatmaps, image grids, animations.
 */
export { Figure, figure, PLOTLY_MIME } from "./figure";
export * from "./types";
export { linePlot, lineTrace, Series, LinePlotOptions } from "./line";
export { contourPlot, contourTrace, gridSample, ContourOptions } from "./contour";
export { barChart, BarSeries, BarChartOptions } from "./bar";
export { heatmap, imageGrid, HeatmapOptions, ImageGridOptions } from "./heatmap";
export { animationControls } from "./animation";
