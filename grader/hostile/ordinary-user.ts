import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { thisInstall } from "../sandbox";

/**
 * An ordinary (non-root) user created with useradd for a test or benchmark, to grade as a TA
 * would on a laptop: home folder of its own under the caller's work folder. Needs root.
 */
export interface OrdinaryUser {
  name: string;
  uid: number;
  home: string;
  /** Process ids this user owns right now (from /proc). */
  processes(): number[];
  /** Kills what the user still runs (by process id) and deletes the user and its home. */
  remove(): void;
}

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Creates user `name` with its home at `<work>/home-<name>` (work must be enterable by others). */
export function createOrdinaryUser(work: string, name: string): OrdinaryUser {
  const home = path.join(work, `home-${name}`);
  run("useradd", ["--home-dir", home, "--create-home", "--shell", "/bin/sh", "--user-group", name]);
  const uid = Number(run("id", ["-u", name]).trim());
  const processes = (): number[] =>
    fs
      .readdirSync("/proc")
      .filter((e) => /^\d+$/.test(e))
      .filter((e) => {
        try {
          return fs.statSync(`/proc/${e}`).uid === uid;
        } catch {
          return false;
        }
      })
      .map(Number);
  return {
    name,
    uid,
    home,
    processes,
    remove: () => {
      for (const pid of processes()) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // ended meanwhile
        }
      }
      spawnSync("userdel", ["--remove", name], { stdio: "ignore" });
    },
  };
}

/**
 * Runs `workbook grade <args>` as `user`, in a private mount namespace where this package and the
 * Node binary are mounted read-only under `work` (which the user can enter), so the user can run
 * them wherever they live (/root, a mode-700 folder). `tmp` becomes the user's TMPDIR (kernels'
 * scratch folders). Resolves with the exit code and everything printed.
 * Example: `await gradeAsUser(user, work, tmp, [assignment, subs, "--out", out])`.
 */
export function gradeAsUser(
  user: OrdinaryUser,
  work: string,
  tmp: string,
  gradeArgs: string[],
  extraEnv: Record<string, string> = {},
  /** The script (inside the package) and its first arguments; by default `workbook grade`. */
  program: string[] = [path.join("dist", "bin", "workbook.js"), "grade"],
): Promise<{ code: number | null; output: string }> {
  const packageView = path.join(work, "package-view");
  const nodeView = path.join(work, "node-view");
  fs.mkdirSync(packageView, { recursive: true });
  if (!fs.existsSync(nodeView)) fs.writeFileSync(nodeView, "");
  const script = ['mount --bind "$1" "$2" && mount -o remount,bind,ro "$2" && mount --bind "$3" "$4" && mount -o remount,bind,ro "$4" || exit 90', "shift 4", 'exec runuser -u "$@"'].join("\n");
  const env = ["env", "-i", `HOME=${user.home}`, "PATH=/usr/local/bin:/usr/bin:/bin", `TMPDIR=${tmp}`, "LANG=C.UTF-8", ...Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`)];
  const argv = [
    "-m",
    "--propagation",
    "private",
    "--",
    "sh",
    "-c",
    script,
    "sh",
    thisInstall().packageRoot,
    packageView,
    process.execPath,
    nodeView,
    user.name,
    "--",
    ...env,
    nodeView,
    path.join(packageView, program[0]),
    ...program.slice(1),
    ...gradeArgs,
  ];
  return new Promise((resolve) => {
    let output = "";
    const child = spawn("unshare", argv, { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}
