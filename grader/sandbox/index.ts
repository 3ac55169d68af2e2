/** The per-submission sandbox: limits, the platform layers that enforce them, and the confined command line. */
export * from "./limits";
export * from "./protections";
export * from "./command";
export * from "./scratch";
export * from "./diagnose";
export * from "./alive";
