/**
 * Jupyter comms: message channels between kernel code and front-end widgets, both ways.
 * Kernel code opens one with `displayHost().openComm(target, data)`; the front end opens one to a
 * target that kernel code registered with `registerCommTarget(target, handler)`.
 */
import { randomUUID } from "crypto";
import type { Comm } from "../lib/display";
import { asText } from "./wire";

/** Sends a comm message (comm_open, comm_msg or comm_close) on iopub, with the message's metadata and binary buffers. */
export type CommSend = (msgType: "comm_open" | "comm_msg" | "comm_close", content: Record<string, unknown>, extra?: CommExtra) => void;

/** The message metadata (the widgets protocol puts its version there) and binary buffers of a comm message. */
export interface CommExtra {
  metadata?: Record<string, unknown>;
  buffers?: readonly Uint8Array[];
}

type Data = Record<string, unknown>;
type Handler = (data: Data, buffers: readonly Uint8Array[]) => void;

class KernelComm implements Comm {
  private readonly messageHandlers: Handler[] = [];
  private readonly closeHandlers: ((data: Data) => void)[] = [];
  closed = false;

  constructor(
    readonly commId: string,
    readonly targetName: string,
    private readonly sendMessage: CommSend,
    private readonly forget: (id: string) => void,
  ) {}

  send(data: Data, buffers: readonly Uint8Array[] = []): void {
    if (this.closed) throw new Error(`Comm.send: comm ${this.commId} (target "${this.targetName}") is closed; open a new one`);
    this.sendMessage("comm_msg", { comm_id: this.commId, data }, { buffers });
  }

  close(data: Data = {}): void {
    if (this.closed) return;
    this.sendMessage("comm_close", { comm_id: this.commId, data });
    this.closedByPeer(data);
  }

  onMessage(handler: Handler): void {
    this.messageHandlers.push(handler);
  }

  onClose(handler: (data: Data) => void): void {
    this.closeHandlers.push(handler);
  }

  received(data: Data, buffers: readonly Uint8Array[]): void {
    for (const handler of this.messageHandlers) handler(data, buffers);
  }

  closedByPeer(data: Data): void {
    this.closed = true;
    this.forget(this.commId);
    for (const handler of this.closeHandlers) handler(data);
  }
}

export class CommManager {
  private readonly comms = new Map<string, KernelComm>();
  private readonly targets = new Map<string, (comm: Comm, data: Data) => void>();

  constructor(private readonly sendMessage: CommSend) {}

  /** Opens a comm from the kernel to the front end (`extra`: the comm_open's metadata and buffers). */
  open(targetName: string, data: Data = {}, extra: CommExtra = {}): Comm {
    const comm = this.create(randomUUID(), targetName);
    this.sendMessage("comm_open", { comm_id: comm.commId, target_name: targetName, data }, extra);
    return comm;
  }

  registerTarget(targetName: string, handler: (comm: Comm, data: Data) => void): void {
    this.targets.set(targetName, handler);
  }

  private create(commId: string, targetName: string): KernelComm {
    const comm = new KernelComm(commId, targetName, this.sendMessage, (id) => this.comms.delete(id));
    this.comms.set(commId, comm);
    return comm;
  }

  /** comm_open from the front end: hand it to the target's handler, or close it when no such target exists. */
  handleOpen(content: { comm_id?: unknown; target_name?: unknown; data?: unknown }): string | undefined {
    const commId = asText(content.comm_id);
    const targetName = asText(content.target_name);
    const handler = this.targets.get(targetName);
    if (!commId || !handler) {
      if (commId) this.sendMessage("comm_close", { comm_id: commId, data: {} });
      return `no comm target "${targetName}" is registered in the kernel`;
    }
    handler(this.create(commId, targetName), asData(content.data));
    return undefined;
  }

  /** comm_msg from the front end, with the binary buffers that came with it. */
  handleMessage(content: { comm_id?: unknown; data?: unknown }, buffers: readonly Uint8Array[] = []): string | undefined {
    const comm = this.comms.get(asText(content.comm_id));
    if (!comm) return `comm_msg for unknown comm ${String(content.comm_id)}`;
    comm.received(asData(content.data), buffers);
    return undefined;
  }

  handleClose(content: { comm_id?: unknown; data?: unknown }): string | undefined {
    const comm = this.comms.get(asText(content.comm_id));
    if (!comm) return `comm_close for unknown comm ${String(content.comm_id)}`;
    comm.closedByPeer(asData(content.data));
    return undefined;
  }

  /** comm_info_reply content: open comms, optionally only those of one target. */
  info(targetName?: string): { status: "ok"; comms: Record<string, { target_name: string }> } {
    const comms: Record<string, { target_name: string }> = {};
    for (const comm of this.comms.values()) {
      if (!targetName || comm.targetName === targetName) comms[comm.commId] = { target_name: comm.targetName };
    }
    return { status: "ok", comms };
  }
}

function asData(data: unknown): Data {
  return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Data) : {};
}
