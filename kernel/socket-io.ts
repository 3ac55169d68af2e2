/**
 * Sending and receiving on the kernel's ZeroMQ sockets, shared by the wire thread
 * (wire-thread.ts) and the kernelspec's relay (relay.ts): zeromq v6 allows one pending send per
 * socket, and a socket's receive() throws once the socket is closed.
 */
import type * as Zmq from "zeromq";

/** Where a failed send or receive is reported (each process prefixes its own lines). */
export type SocketLog = (text: string) => void;

/**
 * Serializes sends on one socket; a failed send is logged, never thrown.
 * @example const shell = new Outbox(router, "shell", log); void shell.send(frames); await shell.drain();
 */
export class Outbox {
  private chain: Promise<void> = Promise.resolve();
  constructor(
    private readonly socket: Zmq.Writable,
    private readonly name: string,
    private readonly log: SocketLog,
  ) {}

  /** Queues `frames` behind every earlier send; resolves when they have gone out (or failed). */
  send(frames: Buffer[]): Promise<void> {
    this.chain = this.chain.then(() => this.socket.send(frames)).catch((err: Error) => this.log(`could not send on ${this.name}: ${err.message}`));
    return this.chain;
  }

  /** Resolves when everything sent so far has gone out. */
  drain(): Promise<void> {
    return this.chain;
  }
}

/** A socket that can be read until it is closed. */
export type Inbox = Zmq.Readable & { readonly closed: boolean };

/**
 * Each message a socket receives, until the socket is closed (closing ends the loop instead of
 * throwing; any other failed receive is logged and reading goes on).
 * @example for await (const [ping] of receiveUntilClosed(hb, log)) await hb.send(ping);
 */
export async function* receiveUntilClosed(socket: Inbox, log: SocketLog): AsyncGenerator<Buffer[]> {
  for (;;) {
    let frames: Buffer[];
    try {
      frames = await socket.receive();
    } catch (err) {
      if (socket.closed) return;
      log(`receive failed: ${(err as Error).message}`);
      continue;
    }
    yield frames;
  }
}
