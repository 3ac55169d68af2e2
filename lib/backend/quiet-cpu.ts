/** tfjs's CPU backend without its "install the node backend" banner. */
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";

/**
 * MathBackendCPU that skips the one-time banner its first tensor write prints in Node
 * (dl-workbook brings its own fast kernels instead of tfjs-node).
 */
export class QuietBackendCPU extends MathBackendCPU {
  constructor() {
    super();
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }
}

/** Silences the banner of an already created CPU backend instance (tfjs's own "cpu"). */
export function silenceCpuBanner(backend: unknown): void {
  if (backend instanceof MathBackendCPU) (backend as unknown as { firstUse: boolean }).firstUse = false;
}
