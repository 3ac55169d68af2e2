import { randomUUID } from "crypto";
import type { KernelMessage } from "@jupyterlab/services";
import { Signer } from "./signer";

/** The version of the Jupyter messaging protocol spoken here. */
export const PROTOCOL_VERSION = "5.3";

/** The frame that separates ZeroMQ routing identities from the signed message. */
export const DELIMITER = "<IDS|MSG>";

export type MessageType = KernelMessage.MessageType;
export type Header = KernelMessage.IHeader;

/**
 * One Jupyter message as it travels on a socket: the spec's five dicts plus the routing
 * identities of the ROUTER socket it came from (replies go back to the same identities).
 */
export interface WireMessage<C = Record<string, unknown>> {
  identities: Buffer[];
  header: Header;
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/**
 * A JSON value from a message or a notebook as text: a string as it is, nbformat's multiline
 * string (an array of strings) joined, numbers and booleans printed, null and undefined as
 * `fallback`, any other value as its JSON (never "[object Object]").
 *
 * @example
 * asText(["one\n", "two"]); // "one\ntwo"
 * asText(undefined, "Error"); // "Error"
 */
export function asText(value: unknown, fallback = ""): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return fallback;
  if (Array.isArray(value) && value.every((line) => typeof line === "string")) return value.join("");
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? fallback;
}

/** A fresh header for a message of `msgType` in `session`. */
export function newHeader(msgType: string, session: string, username = "kernel"): Header {
  return {
    msg_id: randomUUID(),
    msg_type: msgType as MessageType,
    session,
    username,
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
}

/** A message replying to (or caused by) `parent`, keeping its routing identities. */
export function replyTo<C>(parent: WireMessage<unknown>, msgType: string, content: C, session: string): WireMessage<C> {
  return {
    identities: parent.identities,
    header: newHeader(msgType, session, parent.header.username),
    parent_header: parent.header,
    metadata: {},
    content,
    buffers: [],
  };
}

/** Frames for zeromq: identities, delimiter, signature, the four JSON dicts, buffers. */
export function encode(message: WireMessage<unknown>, signer: Signer): Buffer[] {
  const parts = [message.header, message.parent_header, message.metadata, message.content].map((part) => Buffer.from(JSON.stringify(part ?? {}), "utf8"));
  return [...message.identities, Buffer.from(DELIMITER), Buffer.from(signer.sign(parts)), ...parts, ...message.buffers];
}

/** Why a set of frames could not be read as a message. */
export class WireError extends Error {
  constructor(
    message: string,
    readonly reason: "no-delimiter" | "bad-signature" | "bad-json" | "too-few-frames",
  ) {
    super(message);
    this.name = "WireError";
  }
}

/** Parses frames into a message; throws WireError for a missing delimiter, a bad signature or bad JSON. */
export function decode(frames: Buffer[], signer: Signer): WireMessage {
  const at = frames.findIndex((frame) => frame.length === DELIMITER.length && frame.toString() === DELIMITER);
  if (at < 0) throw new WireError("message has no <IDS|MSG> delimiter", "no-delimiter");
  if (frames.length < at + 6) throw new WireError(`message has ${frames.length - at - 1} frames after the delimiter, expected at least 5`, "too-few-frames");
  const signature = frames[at + 1].toString();
  const parts = frames.slice(at + 2, at + 6);
  if (!signer.verify(signature, parts)) throw new WireError("message signature does not match the connection key", "bad-signature");
  const [header, parent_header, metadata, content] = parts.map((part, i): unknown => {
    try {
      return JSON.parse(part.toString("utf8"));
    } catch {
      throw new WireError(`frame ${["header", "parent_header", "metadata", "content"][i]} is not valid JSON`, "bad-json");
    }
  });
  if (typeof header !== "object" || header === null || typeof (header as { msg_type?: unknown }).msg_type !== "string") {
    throw new WireError("message header has no msg_type", "bad-json");
  }
  // The peer's JSON is taken as the protocol's shapes; handlers check the fields they read.
  return {
    identities: frames.slice(0, at),
    header: header as Header,
    parent_header: (parent_header ?? {}) as Header | Record<string, never>,
    metadata: (metadata ?? {}) as Record<string, unknown>,
    content: (content ?? {}) as Record<string, unknown>,
    buffers: frames.slice(at + 6),
  };
}
