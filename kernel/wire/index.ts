/** The Jupyter wire protocol, shared by the kernel and the TypeScript client: connection files, signing, framing. */
export * from "./connection";
export * from "./signer";
export * from "./message";
