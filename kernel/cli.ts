/**
 * `workbook kernel install [--user | --sys-prefix | --prefix DIR] | uninstall | list | start <connection_file>`.
 */
import { installKernelspec, listKernelspecs, uninstallKernelspec, KERNEL_NAME } from "./kernelspec";
import type { KernelspecOptions } from "./kernelspec";
import { EXIT, parseCommandLine, runCommand, usageError } from "../cli/args";

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
start-kernel.sh that kernel.json runs: when the snapshot was built by this Node binary it starts the
relay dist/kernel/relay.js, which answers Jupyter at once and runs the kernel from the snapshot behind
it, else dist/kernel/main.js (WORKBOOK_KERNEL_NO_SNAPSHOT=1 forces that).
On Windows kernel.json runs dist/kernel/main.js directly.`,
  uninstall: `Usage: workbook kernel uninstall [--user | --sys-prefix | --prefix DIR]

Removes the "${KERNEL_NAME}" kernelspec from that location (default --user).`,
  list: `Usage: workbook kernel list

Shows every directory Jupyter searches that holds the "${KERNEL_NAME}" kernelspec, with the command it runs.`,
  start: `Usage: workbook kernel start <connection_file>

Runs the kernel on the sockets named in a Jupyter connection file. Front ends do this through the kernelspec.`,
};

/** The options of `workbook kernel install` (uninstall takes the same but --no-snapshot). */
const SCOPE_OPTIONS = { user: { type: "boolean" }, "sys-prefix": { type: "boolean" }, prefix: { type: "string" }, quiet: { type: "boolean", short: "q" } } as const;
const INSTALL_OPTIONS = { ...SCOPE_OPTIONS, "no-snapshot": { type: "boolean" } } as const;

/** Parses --user / --sys-prefix / --prefix DIR (the last one given wins) / --quiet / --no-snapshot; a UsageError on anything else. */
function scopeOptions(args: string[], command: "install" | "uninstall"): KernelspecOptions {
  const { values, order } = parseCommandLine(`kernel ${command}`, args, command === "install" ? INSTALL_OPTIONS : SCOPE_OPTIONS, 0);
  const opts: KernelspecOptions = { scope: "user" };
  const scope = order.filter((name) => name === "user" || name === "sys-prefix" || name === "prefix").pop();
  if (scope === "sys-prefix") opts.scope = "sys-prefix";
  if (scope === "prefix") {
    if (!values.prefix) throw usageError(`kernel ${command}`, `option --prefix needs a directory; see workbook kernel ${command} --help`);
    opts.scope = "prefix";
    opts.prefix = values.prefix;
  }
  if (values.quiet) opts.quiet = true;
  if ("no-snapshot" in values && values["no-snapshot"]) opts.snapshot = false;
  return opts;
}

/** Entry point of `workbook kernel`. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (!Object.hasOwn(HELP, command)) {
    console.error(`workbook kernel: unknown command "${command}"; see workbook kernel --help`);
    return EXIT.usage;
  }
  return runCommand(HELP[command], rest, async () => {
    switch (command) {
      case "install":
        installKernelspec(scopeOptions(rest, command));
        return EXIT.ok;
      case "uninstall":
        uninstallKernelspec(scopeOptions(rest, command));
        return EXIT.ok;
      case "list": {
        parseCommandLine("kernel list", rest, {}, 0);
        const found = listKernelspecs();
        if (found.length === 0) console.log(`The ${KERNEL_NAME} kernelspec is not installed. Run: workbook kernel install`);
        for (const { dir, spec } of found) console.log(`${KERNEL_NAME}  ${dir}\n    ${spec.argv.join(" ")}`);
        return EXIT.ok;
      }
      default: {
        const { positionals } = parseCommandLine("kernel start", rest, {});
        if (positionals.length !== 1) throw usageError("kernel start", "give the connection file, e.g. workbook kernel start kernel-1234.json");
        const { startKernel } = await import("./kernel");
        startKernel(positionals[0]);
        // The kernel keeps the process alive; it exits on shutdown_request.
        await new Promise<never>(() => undefined);
        return EXIT.ok;
      }
    }
  });
}
