import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { randomBytes, randomUUID } from "crypto";
import type { ConnectionInfo } from "../wire";

/** Where and how a new connection file is written. */
export interface NewConnectionOptions {
  /** Folder for the connection file (created if missing). Default: a fresh folder under the OS temp dir. */
  connectionDir?: string;
  /** "tcp" (default) on 127.0.0.1, or "ipc" with socket files in `connectionDir`. */
  transport?: "tcp" | "ipc";
  /** Name written into the file's kernel_name field. */
  kernelName?: string;
}

/** A connection file on disk and what it says. */
export interface ConnectionFile {
  file: string;
  info: ConnectionInfo;
}

/** A TCP port that is free right now on `ip` (the OS picks it; the kernel binds it a moment later). */
export function freePort(ip = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen({ port: 0, host: ip, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`freePort: the OS gave no port on ${ip}`))));
    });
  });
}

/**
 * Writes a Jupyter connection file with five fresh ports (or ipc socket names) and a random
 * HMAC key, readable only by its owner (mode 0600, as jupyter_client writes it).
 *
 * @example
 * const { file, info } = await writeConnectionFile({ connectionDir: "/tmp/kernels" });
 * // info.shell_port, info.key, ... ; pass `file` to the kernel: node dist/kernel/main.js <file>
 */
export async function writeConnectionFile(options: NewConnectionOptions = {}): Promise<ConnectionFile> {
  const dir = options.connectionDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "workbook-kernel-"));
  fs.mkdirSync(dir, { recursive: true });
  const id = randomUUID();
  const transport = options.transport ?? "tcp";
  let ports: number[];
  if (transport === "tcp") {
    ports = [];
    while (ports.length < 5) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
  } else {
    ports = [1, 2, 3, 4, 5];
  }
  const info: ConnectionInfo = {
    transport,
    ip: transport === "tcp" ? "127.0.0.1" : path.join(dir, `kernel-${id.slice(0, 8)}`),
    shell_port: ports[0],
    iopub_port: ports[1],
    stdin_port: ports[2],
    control_port: ports[3],
    hb_port: ports[4],
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
    kernel_name: options.kernelName ?? "dl-workbook",
  };
  const file = path.join(dir, `kernel-${id}.json`);
  fs.writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return { file, info };
}
