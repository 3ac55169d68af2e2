/**
 * Loads zeromq so that it also works under Node's permission model (the grader runs kernels with
 * --experimental-permission): zeromq's addon loader probes files such as /etc/alpine-release to
 * detect the C library, and there `fs.existsSync` throws ERR_ACCESS_DENIED instead of returning
 * false. During the load, a denied probe counts as "does not exist".
 */
import fs = require("fs");

/** The fs module object itself (not an import namespace), whose functions can be swapped for a moment. */
const mutableFs = fs as { existsSync: typeof fs.existsSync };

export function loadZeromq(): typeof import("zeromq") {
  const existsSync = fs.existsSync;
  mutableFs.existsSync = (p: fs.PathLike) => {
    try {
      return existsSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ERR_ACCESS_DENIED") return false;
      throw err;
    }
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded now, while the probe above is patched; a static import would load it first
    return require("zeromq") as typeof import("zeromq");
  } finally {
    mutableFs.existsSync = existsSync;
  }
}
