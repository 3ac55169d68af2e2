/**
 * The kernel's `kernel_info_reply` content. Built without loading the TypeScript compiler so the
 * first reply goes out fast (only the compiler's package.json is read, for its version).
 */
import * as fs from "fs";
import * as path from "path";
import type { KernelMessage } from "@jupyterlab/services";
import { PROTOCOL_VERSION } from "./wire";

/** The root of the dl-workbook package (dist/kernel/../..). */
export const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

function versionOf(packageJson: string): string {
  try {
    return (JSON.parse(fs.readFileSync(packageJson, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

let cached: KernelMessage.IInfoReply | undefined;

/** The content of kernel_info_reply: protocol, implementation and full language_info. */
export function kernelInfo(): KernelMessage.IInfoReply {
  if (cached) return cached;
  const tslabDir = path.join(PACKAGE_ROOT, "node_modules", "tslab");
  const tsVersion = versionOf(path.join(tslabDir, "node_modules", "@tslab", "typescript-for-tslab", "package.json"));
  cached = {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "dl-workbook",
    implementation_version: versionOf(path.join(PACKAGE_ROOT, "package.json")),
    language_info: {
      name: "typescript",
      version: tsVersion === "unknown" ? versionOf(path.join(PACKAGE_ROOT, "node_modules", "@tslab", "typescript-for-tslab", "package.json")) : tsVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      codemirror_mode: { name: "javascript", typescript: true },
      pygments_lexer: "typescript",
      nbconvert_exporter: "script",
    },
    banner: `TypeScript (DL Workbook) kernel on Node.js ${process.version}, type checking by tslab ${versionOf(path.join(tslabDir, "package.json"))}`,
    help_links: [
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "TensorFlow.js API", url: "https://js.tensorflow.org/api/latest/" },
      { text: "Node.js API", url: "https://nodejs.org/docs/latest-v20.x/api/" },
    ],
  };
  return cached;
}
