import * as fs from "fs";

/** The connection file a Jupyter front end writes before starting a kernel (messaging spec, "connection files"). */
export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

/** The five kernel sockets, by the channel name the spec gives them. */
export type SocketName = "shell" | "iopub" | "stdin" | "control" | "hb";

const PORT_FIELDS: Record<SocketName, keyof ConnectionInfo> = {
  shell: "shell_port",
  iopub: "iopub_port",
  stdin: "stdin_port",
  control: "control_port",
  hb: "hb_port",
};

/** Reads and checks a connection file; errors name the file and the field to fix. */
export function readConnectionFile(file: string): ConnectionInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`Cannot read the Jupyter connection file ${file}: ${(err as Error).message}`);
  }
  const info = parsed as Partial<ConnectionInfo>;
  for (const field of ["ip", "key", "transport", ...Object.values(PORT_FIELDS)] as const) {
    if (info[field] === undefined) throw new Error(`The Jupyter connection file ${file} has no "${field}" field.`);
  }
  const scheme = info.signature_scheme ?? "hmac-sha256";
  if (info.key !== "" && scheme !== "hmac-sha256") {
    throw new Error(`The Jupyter connection file ${file} asks for signature_scheme "${scheme}"; only "hmac-sha256" is supported.`);
  }
  return { ...(info as ConnectionInfo), signature_scheme: scheme };
}

/** The ZeroMQ address of one socket, e.g. tcp://127.0.0.1:5555 or ipc://kernel-ipc-3. */
export function socketAddress(info: ConnectionInfo, socket: SocketName): string {
  const port = info[PORT_FIELDS[socket]] as number;
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
