/**
 * What a front end and its kernel agree on outside the messages: the environment variables the
 * front end sets when it starts a kernel. Shared by the kernel and the client (kernel/client), so
 * neither imports the other.
 */

/**
 * The environment variable in which the front end names its own process id (jupyter_client's
 * `JPY_PARENT_PID`); the kernel shuts itself down when that process is gone (kernel/parent-poller).
 *
 * @example
 * spawn(process.execPath, [kernelMain, connectionFile], { env: { ...process.env, [PARENT_PID_VARIABLE]: String(process.pid) } });
 */
export const PARENT_PID_VARIABLE = "JPY_PARENT_PID";

/**
 * Set by the kernelspec's relay (kernel/relay.ts) in the kernel it starts: the session id that the
 * kernel's messages carry, the relay's own, so that a front end sees one kernel session whether
 * the relay or the kernel answered.
 *
 * @example
 * const session = process.env[KERNEL_SESSION_VARIABLE] ?? randomUUID();
 */
export const KERNEL_SESSION_VARIABLE = "WORKBOOK_KERNEL_SESSION";

/**
 * Set by the relay to its own process id (also its `JPY_PARENT_PID` for the kernel): a kernel whose
 * relay is already gone when it starts watching shuts down at once, rather than treating the id
 * as a value left over in a shell's environment (kernel/parent-poller.ts).
 *
 * @example
 * const startedByRelay = process.env[RELAY_PID_VARIABLE] === process.env[PARENT_PID_VARIABLE];
 */
export const RELAY_PID_VARIABLE = "WORKBOOK_RELAY_PID";
