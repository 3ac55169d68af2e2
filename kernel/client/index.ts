/**
 * The TypeScript Jupyter client: starts a kernel process and executes code in it, returning
 * nbformat outputs. It is what `workbook run`, the book, the grader and the project tools use to
 * run notebooks; none of them imports notebook code into its own process.
 *
 * ```ts
 * import { startKernel } from "dl-workbook/dist/kernel/client";   // or a relative import inside the package
 *
 * const kernel = await startKernel({
 *   cwd: "notebooks",                              // the kernel's working directory
 *   env: { PATH: process.env.PATH, CI: "1" },      // its whole environment (default: ours)
 *   wrap: ["prlimit", "--as=4000000000", "--"],    // optional sandbox prefix for the command
 *   // command: defaults to [node, dist/kernel/main.js, "{connection_file}"]
 * });
 * kernel.on("exit", (exit) => console.error(exit.code, exit.signal, exit.stderrTail));
 *
 * const r = await kernel.execute("const x = 2; x * 21", { timeoutMs: 30_000 });
 * // r.status: "ok" | "error" | "aborted" | "timeout" | "died"
 * // r.outputs: IOutput[] (stream, display_data, execute_result, error), r.executionCount: 1
 * // r.error: { ename, evalue, traceback } when status is "error"
 *
 * await kernel.interrupt();      // interrupt_request on control
 * await kernel.restart();        // fresh process, same connection file (also after a crash)
 * await kernel.heartbeat();      // true when the kernel echoes on the hb socket
 * kernel.isAlive();              // the process is running
 * await kernel.shutdown();       // shutdown_request, then signals; removes the connection file
 * ```
 */
export { startKernel, KernelClient, KernelDiedError, KERNEL_MAIN, CONNECTION_FILE_PLACEHOLDER, defaultKernelCommand } from "./client";
export type { StartKernelOptions, ExecuteOptions, ExecuteResult, ExecuteReplyContent, KernelExit } from "./client";
export { writeConnectionFile, freePort } from "./connection";
export type { NewConnectionOptions, ConnectionFile } from "./connection";
export { OutputCollector, DisplayRegistry, isOutputMessage } from "./outputs";
