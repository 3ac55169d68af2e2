/**
 * Tells each dl-workbook kernel that this front end renders the Plotly MIME type: when a notebook
 * or console connects to a dl-workbook kernel (and after every restart), the plugin opens a comm
 * to the kernel's `dl-workbook.frontend` target with `{ renders: [<mime types>] }` and closes it.
 * The kernel (kernel/display/plotly.ts) then leaves the 10 MB of plotly.js out of the `text/html`
 * fallback of its figures, so a notebook run in this Lab stays small; front ends without the
 * extension (Notebook 6.4, nbconvert, VS Code) never open the comm and keep the inlined library.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import type { ISessionContext } from "@jupyterlab/apputils";
import { IConsoleTracker } from "@jupyterlab/console";
import { INotebookTracker } from "@jupyterlab/notebook";
import type { Kernel } from "@jupyterlab/services";
import { PLOTLY_MIME } from "./index";

/** The kernel's comm target (kernel/display/plotly.ts, FRONTEND_COMM_TARGET). */
export const FRONTEND_COMM_TARGET = "dl-workbook.frontend";
/** The kernelspec name of the course kernel (kernel/kernelspec.ts, KERNEL_NAME). */
const KERNEL_NAME = "dl-workbook";

/** Sends the announcement once per kernel process: on the first idle after a start or restart. */
function watchKernel(kernel: Kernel.IKernelConnection): void {
  let announced = false;
  const announce = (): void => {
    if (announced || kernel.isDisposed || kernel.status !== "idle") return;
    announced = true;
    const comm = kernel.createComm(FRONTEND_COMM_TARGET);
    comm.open({ renders: [PLOTLY_MIME] });
    comm.close();
  };
  kernel.statusChanged.connect((_, status) => {
    if (status === "restarting" || status === "autorestarting" || status === "starting") announced = false;
    else announce();
  });
  announce();
}

/** Watches the kernels of one notebook or console session. */
function watchSession(sessionContext: ISessionContext): void {
  const watched = new WeakSet<Kernel.IKernelConnection>();
  const onKernel = (kernel: Kernel.IKernelConnection | null): void => {
    if (!kernel || watched.has(kernel) || kernel.name !== KERNEL_NAME) return;
    watched.add(kernel);
    watchKernel(kernel);
  };
  sessionContext.kernelChanged.connect((_, change) => onKernel(change.newValue));
  onKernel(sessionContext.session?.kernel ?? null);
}

/**
 * The plugin (the extension's `extension` entry).
 * @example app.registerPlugin(frontendPlugin) // a notebook on the dl-workbook kernel then gets figures without plotly.js
 */
export const frontendPlugin: JupyterFrontEndPlugin<void> = {
  id: "dl-workbook-labextension:frontend",
  description: "Tells dl-workbook kernels that this front end draws Plotly figures itself.",
  autoStart: true,
  optional: [INotebookTracker, IConsoleTracker],
  activate: (_app: JupyterFrontEnd, notebooks: INotebookTracker | null, consoles: IConsoleTracker | null): void => {
    notebooks?.widgetAdded.connect((_, panel) => watchSession(panel.sessionContext));
    consoles?.widgetAdded.connect((_, panel) => watchSession(panel.sessionContext));
  },
};

export default frontendPlugin;
