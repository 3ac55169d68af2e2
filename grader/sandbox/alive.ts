import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

let fifo: string | null | undefined;

/**
 * A named pipe that this process holds open for reading as long as it lives (never read from):
 * opening it for writing without blocking succeeds while the grader lives and fails (ENXIO) once
 * it is gone, whoever asks. Every sandbox checks it after bubblewrap has tied the sandbox's life to
 * the grader's (`--die-with-parent`), which closes the one gap that option leaves: a grader killed
 * in the few milliseconds between starting bwrap and bwrap's prctl would otherwise leave a kernel
 * running with nobody to end it. Undefined where no pipe can be made (no mkfifo).
 * Example: `graderAlivePipe()` -> "/tmp/workbook-grader-alive-x1/alive".
 */
export function graderAlivePipe(): string | undefined {
  // made again when its folder was removed meanwhile (a test that cleans up its temporary folder)
  if (fifo === null || (fifo !== undefined && fs.existsSync(fifo))) return fifo ?? undefined;
  fifo = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-grader-alive-"));
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, "alive");
  if (spawnSync("mkfifo", ["-m", "600", file], { stdio: "ignore" }).status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  // held open until this process ends: the kernel closes it then, however the process ends
  fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  fifo = file;
  return file;
}

/** Where the pipe of {@link graderAlivePipe} appears inside a sandbox. */
export const ALIVE_PIPE_INSIDE = "/run/workbook-grader-alive";
