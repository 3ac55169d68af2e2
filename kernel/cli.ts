/**
 * `workbook kernel install [--user | --sys-prefix | --prefix DIR] | uninstall | list | start <connection_file>`.
 */
import { installKernelspec, listKernelspecs, uninstallKernelspec, KERNEL_NAME } from "./kernelspec";
import type { KernelspecOptions } from "./kernelspec";

const USAGE = `Usage: workbook kernel <command> [options]

Commands:
  install [--user | --sys-prefix | --prefix DIR]    register the "${KERNEL_NAME}" Jupyter kernelspec (default --user)
  uninstall [--user | --sys-prefix | --prefix DIR]  remove it
  list                                              show where it is installed
  start <connection_file>                           run the kernel (Jupyter does this for you)

Run "workbook kernel <command> --help" for one command.`;

const HELP: Record<string, string> = {
  install: `Usage: workbook kernel install [--user | --sys-prefix | --prefix DIR] [--no-snapshot] [--quiet]

Writes the kernelspec "${KERNEL_NAME}" (TypeScript (DL Workbook)) so JupyterLab, Notebook and VS Code offer it.
  --user        for the current user (default; what npm install does)
  --sys-prefix  into the Python environment that runs Jupyter ($CONDA_PREFIX, $VIRTUAL_ENV, or jupyter on PATH)
  --prefix DIR  into DIR/share/jupyter/kernels (then add DIR/share/jupyter to JUPYTER_PATH)
  --no-snapshot kernel.json runs node dist/kernel/main.js directly: no snapshot, no launcher
  --quiet       print nothing

Also builds the kernel's startup snapshot for this Node (a few seconds, once) and writes the launcher
start-kernel.sh that kernel.json runs: it starts the kernel from the snapshot when the snapshot was
built by this Node binary, else from dist/kernel/main.js (WORKBOOK_KERNEL_NO_SNAPSHOT=1 forces that).
On Windows kernel.json runs dist/kernel/main.js directly.`,
  uninstall: `Usage: workbook kernel uninstall [--user | --sys-prefix | --prefix DIR]

Removes the "${KERNEL_NAME}" kernelspec from that location (default --user).`,
  list: `Usage: workbook kernel list

Shows every directory Jupyter searches that holds the "${KERNEL_NAME}" kernelspec, with the command it runs.`,
  start: `Usage: workbook kernel start <connection_file>

Runs the kernel on the sockets named in a Jupyter connection file. Front ends do this through the kernelspec.`,
};

/** Parses --user / --sys-prefix / --prefix DIR / --quiet; throws with a clear message on anything else. */
function scopeOptions(args: string[], command: string): KernelspecOptions {
  const opts: KernelspecOptions = { scope: "user" };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--user") opts.scope = "user";
    else if (arg === "--sys-prefix") opts.scope = "sys-prefix";
    else if (arg === "--prefix") {
      const dir = args[++i];
      if (!dir) throw new Error(`workbook kernel ${command}: --prefix needs a directory`);
      opts.scope = "prefix";
      opts.prefix = dir;
    } else if (arg.startsWith("--prefix=")) {
      opts.scope = "prefix";
      opts.prefix = arg.slice("--prefix=".length);
    } else if (arg === "--quiet" || arg === "-q") opts.quiet = true;
    else if (arg === "--no-snapshot" && command === "install") opts.snapshot = false;
    else throw new Error(`workbook kernel ${command}: unknown option "${arg}"\n\n${HELP[command]}`);
  }
  return opts;
}

/** Entry point of `workbook kernel`. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  if (!(command in HELP)) {
    console.error(`workbook kernel: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(HELP[command]);
    return 0;
  }
  try {
    switch (command) {
      case "install":
        installKernelspec(scopeOptions(rest, command));
        return 0;
      case "uninstall":
        uninstallKernelspec(scopeOptions(rest, command));
        return 0;
      case "list": {
        const found = listKernelspecs();
        if (found.length === 0) console.log(`The ${KERNEL_NAME} kernelspec is not installed. Run: workbook kernel install`);
        for (const { dir, spec } of found) console.log(`${KERNEL_NAME}  ${dir}\n    ${spec.argv.join(" ")}`);
        return 0;
      }
      case "start": {
        if (rest.length !== 1) {
          console.error(HELP.start);
          return 2;
        }
        const { startKernel } = await import("./kernel");
        startKernel(rest[0]);
        // The kernel keeps the process alive; it exits on shutdown_request.
        await new Promise<never>(() => undefined);
        return 0;
      }
    }
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }
  return 2;
}
