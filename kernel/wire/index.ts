/**
 * The Jupyter wire protocol, shared by the kernel and the TypeScript client: connection files,
 * signing, framing, and the environment a front end gives its kernel.
 */
export * from "./connection";
export * from "./signer";
export * from "./message";
export * from "./environment";
