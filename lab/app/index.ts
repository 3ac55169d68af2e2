/**
 * The browser entry of `workbook lab`: JupyterLab 4 assembled from the npm `@jupyterlab/*`
 * packages (the "custom app" way), with the core extensions a student uses, plus the prebuilt
 * (federated) extensions on the Jupyter data path, loaded as JupyterLab loads them
 * (lab/app/federated.ts): the course's own, `dl-workbook-labextension` (lab/extension: the Plotly
 * renderer), comes that way, as it does in a student's pip-installed JupyterLab. lab/bundle.ts
 * bundles this file with esbuild; Debian's jupyter_server with jupyterlab_server's LabServerApp
 * serves the result (see lab/server.ts).
 */
import { JupyterLab } from "@jupyterlab/application";
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Notification } from "@jupyterlab/apputils";
import { PageConfig } from "@jupyterlab/coreutils";
import { EventManager, ServiceManager } from "@jupyterlab/services";
import { loadFederatedExtensions } from "./federated";

import applicationExtension from "@jupyterlab/application-extension";
import apputilsExtension from "@jupyterlab/apputils-extension";
import codemirrorExtension from "@jupyterlab/codemirror-extension";
import completerExtension from "@jupyterlab/completer-extension";
import consoleExtension from "@jupyterlab/console-extension";
import docmanagerExtension from "@jupyterlab/docmanager-extension";
import documentsearchExtension from "@jupyterlab/documentsearch-extension";
import filebrowserExtension from "@jupyterlab/filebrowser-extension";
import launcherExtension from "@jupyterlab/launcher-extension";
import mainmenuExtension from "@jupyterlab/mainmenu-extension";
import markedparserExtension from "@jupyterlab/markedparser-extension";
import mathjaxExtension from "@jupyterlab/mathjax-extension";
import notebookExtension from "@jupyterlab/notebook-extension";
import rendermimeExtension from "@jupyterlab/rendermime-extension";
import runningExtension from "@jupyterlab/running-extension";
import shortcutsExtension from "@jupyterlab/shortcuts-extension";
import statusbarExtension from "@jupyterlab/statusbar-extension";
import themeLightExtension from "@jupyterlab/theme-light-extension";
import tooltipExtension from "@jupyterlab/tooltip-extension";
import translationExtension from "@jupyterlab/translation-extension";
import uiComponentsExtension from "@jupyterlab/ui-components-extension";
import javascriptExtension from "@jupyterlab/javascript-extension";
import jsonExtension from "@jupyterlab/json-extension";
// Jupyter widgets (ipywidgets 8's manager, with the base, controls and output widgets): the kernel's dl-workbook/widgets.
import widgetsExtension from "@jupyter-widgets/jupyterlab-manager";

// Styles of every extension below (each package's style/index.js imports its dependencies' CSS).
import "@jupyterlab/application-extension/style/index.js";
import "@jupyterlab/apputils-extension/style/index.js";
import "@jupyterlab/codemirror-extension/style/index.js";
import "@jupyterlab/completer-extension/style/index.js";
import "@jupyterlab/console-extension/style/index.js";
import "@jupyterlab/docmanager-extension/style/index.js";
import "@jupyterlab/documentsearch-extension/style/index.js";
import "@jupyterlab/filebrowser-extension/style/index.js";
import "@jupyterlab/launcher-extension/style/index.js";
import "@jupyterlab/mainmenu-extension/style/index.js";
import "@jupyterlab/markedparser-extension/style/index.js";
import "@jupyterlab/mathjax-extension/style/index.js";
import "@jupyterlab/notebook-extension/style/index.js";
import "@jupyterlab/rendermime-extension/style/index.js";
import "@jupyterlab/running-extension/style/index.js";
import "@jupyterlab/statusbar-extension/style/index.js";
import "@jupyterlab/tooltip-extension/style/index.js";
import "@jupyterlab/translation-extension/style/index.js";
import "@jupyterlab/ui-components-extension/style/index.js";
import "@jupyterlab/javascript-extension/style/index.js";
import "@jupyterlab/json-extension/style/index.js";

/** What an extension package exports by default: one plugin or a list of them. */
type PluginExport = JupyterFrontEndPlugin<unknown> | JupyterFrontEndPlugin<unknown>[];
/** What a mime extension package exports by default. */
type MimeExport = IRenderMime.IExtension | IRenderMime.IExtension[];

/** The plugins of the app, in the order JupyterLab's own build lists them. */
const PLUGIN_EXPORTS: Record<string, PluginExport> = {
  "@jupyterlab/application-extension": applicationExtension,
  "@jupyterlab/apputils-extension": apputilsExtension,
  "@jupyterlab/codemirror-extension": codemirrorExtension,
  "@jupyterlab/completer-extension": completerExtension,
  "@jupyterlab/console-extension": consoleExtension,
  "@jupyterlab/docmanager-extension": docmanagerExtension,
  "@jupyterlab/documentsearch-extension": documentsearchExtension,
  "@jupyterlab/filebrowser-extension": filebrowserExtension,
  "@jupyterlab/launcher-extension": launcherExtension,
  "@jupyterlab/mainmenu-extension": mainmenuExtension,
  "@jupyterlab/markedparser-extension": markedparserExtension,
  "@jupyterlab/mathjax-extension": mathjaxExtension,
  "@jupyterlab/notebook-extension": notebookExtension,
  "@jupyterlab/rendermime-extension": rendermimeExtension,
  "@jupyterlab/running-extension": runningExtension,
  "@jupyterlab/shortcuts-extension": shortcutsExtension,
  "@jupyterlab/statusbar-extension": statusbarExtension,
  "@jupyterlab/theme-light-extension": themeLightExtension,
  "@jupyterlab/tooltip-extension": tooltipExtension,
  "@jupyterlab/translation-extension": translationExtension,
  "@jupyterlab/ui-components-extension": uiComponentsExtension,
  "@jupyter-widgets/jupyterlab-manager": widgetsExtension,
};

/** Mime renderers: JavaScript and JSON from JupyterLab (Plotly comes from the course's federated extension). */
const MIME_EXPORTS: MimeExport[] = [javascriptExtension, jsonExtension];

/** The course's federated extension (lab/extension; kernel/labextension.ts installs it). */
const COURSE_EXTENSION = "dl-workbook-labextension";

/** Window with the app exposed for the UI tests (page config `exposeAppInBrowser`). */
interface LabWindow {
  jupyterapp?: JupyterLab;
}

async function main(): Promise<void> {
  // A prebuilt copy of a package the app has built in (e.g. the widget manager that
  // `workbook kernel install` also installs for pip Labs) is not loaded: the built-in one serves.
  const federated = await loadFederatedExtensions(new Set(Object.keys(PLUGIN_EXPORTS)));
  const problems = [...federated.errors];
  if (!federated.loaded.includes(COURSE_EXTENSION) && !problems.some((line) => line.startsWith(`${COURSE_EXTENSION}:`))) {
    problems.push(`${COURSE_EXTENSION} is not installed on the Jupyter data path, so Plotly figures will not draw: run "npx workbook kernel install" (or reinstall dl-workbook)`);
  }
  for (const line of problems) console.error(`dl-workbook lab: a prebuilt extension did not load: ${line}`);
  // As ES module namespaces: JupyterLab treats an object without __esModule as the export itself.
  const mimeExtensions: (IRenderMime.IExtensionModule & { __esModule: true })[] = [...MIME_EXPORTS, ...federated.mimeExtensions].map((m) => ({ __esModule: true, default: m }));
  // Debian's jupyter_server 1.23 has no event bus (/api/events, jupyter_server 2.0): the event
  // manager stays in standby instead of retrying its websocket forever. (No /api/me either: Lab
  // asks once, gets a 404 and carries on without an identity, as it does for any such server.)
  const serviceManager = new ServiceManager({ standby: "when-hidden", events: new EventManager({ standby: () => true }) });
  const lab = new JupyterLab({ mimeExtensions, serviceManager });
  // Page config `disabledExtensions` (settings/page_config.json, written by lab/bundle.ts) names
  // the plugins that need endpoints Debian's jupyter_server 1.23 lacks; they are left out here.
  const plugins: JupyterFrontEndPlugin<unknown>[] = [];
  for (const [name, exported] of Object.entries(PLUGIN_EXPORTS)) {
    for (const plugin of Array.isArray(exported) ? exported : [exported]) {
      if (typeof plugin?.id !== "string") throw new Error(`${name}: its default export holds something that is not a plugin (${typeof plugin}); check how lab/bundle.ts bundles it`);
      if (!PageConfig.Extension.isDisabled(plugin.id)) plugins.push(plugin);
    }
  }
  // A federated plugin whose id the app already has (e.g. a pip-installed copy of a built-in) is left out.
  for (const plugin of federated.plugins) {
    if (plugins.some((p) => p.id === plugin.id)) console.warn(`dl-workbook lab: the prebuilt plugin ${plugin.id} is already built into the app; using the built-in one`);
    else plugins.push(plugin);
  }
  lab.registerPlugins(plugins);
  await lab.start();
  for (const line of problems) Notification.error(`A JupyterLab extension did not load: ${line}`, { autoClose: false });
  if (PageConfig.getOption("exposeAppInBrowser") === "true") (window as unknown as LabWindow).jupyterapp = lab;
}

window.addEventListener("load", () => {
  main().catch((err: unknown) => {
    console.error("dl-workbook lab: the front end failed to start", err);
    document.body.textContent = `dl-workbook lab: the front end failed to start: ${String(err)}`;
  });
});
