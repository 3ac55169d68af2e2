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
