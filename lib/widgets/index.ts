/**
 * `dl-workbook/widgets`: interactive controls in the notebook over the standard Jupyter widgets
 * protocol (2.1.0, ipywidgets 8 models), so JupyterLab (with `@jupyter-widgets/jupyterlab-manager`,
 * built into `workbook lab`), Notebook 7 and VS Code draw them, and in protocol 1 (ipywidgets 6
 * models) for the classic Notebook 6.4 with Debian's jupyter-js-widgets 2.1.4, chosen when that
 * front end announces itself (see ./protocol). A control's `.value` follows the
 * student's moves on the kernel side; `interact` redraws a figure when a control moves.
 * @example
 * import { slider, interact } from "dl-workbook/widgets";
 * import { linePlot } from "dl-workbook/plot";
 * const beta = slider({ min: 0.5, max: 0.999, step: 0.001, value: 0.9, description: "β", readoutFormat: ".3f" });
 * interact(({ beta }) => linePlot({ y: Array.from({ length: 50 }, (_, t) => 1 - beta ** (t + 1)), name: "1 - β^t" }), { beta })
 */
export { slider, dropdown, button, output, vbox, hbox, Slider, Dropdown, Button, Output, Box, ValueWidget } from "./controls";
export type { SliderOptions, DropdownOptions, ButtonOptions, Control } from "./controls";
export { interact, Interactive } from "./interact";
export type { Controls, ControlValues } from "./interact";
export { WidgetModel, DOMWidget, WIDGET_PROTOCOL_VERSION, WIDGET_COMM_TARGET, WIDGET_CONTROL_TARGET, WIDGET_VIEW_MIME, WIDGET_MODULES } from "./model";
export type { WidgetState, ModelSpec } from "./model";
export { widgetFrontEnd, WIDGET_VERSION_TARGET } from "./protocol";
export type { WidgetProtocol, WidgetFrontEnd } from "./protocol";
