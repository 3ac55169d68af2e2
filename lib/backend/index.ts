/**
 * `dl-workbook/backend`: importing it selects tfjs's backend for the course. This first version
 * selects tfjs's CPU backend and silences its "install the node backend" banner; the fast
 * backend is registered here in a later step.
 */
import * as tf from "@tensorflow/tfjs";

/** Silences the CPU backend's one-time banner (it prints on the first tensor write). */
function quietCpuBackend(): void {
  const cpu = tf.findBackend("cpu") as (tf.KernelBackend & { firstUse?: boolean }) | null;
  if (cpu) cpu.firstUse = false;
}

tf.setBackend("cpu");
quietCpuBackend();
export { tf };
