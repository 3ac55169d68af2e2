/**
 * Convolution + bias + relu as one kernel while training. tfjs-layers' conv2d asks for tf.fused.conv2d,
 * but tfjs-core fuses only outside a gradient tape (shouldFuse): during training every conv layer ran
 * as Conv2D, Add (bias) and Relu, three passes over the activations and three tape nodes, and its
 * backward pass as Step, Multiply and Sum before the two convolution gradients.
 *
 * {@link fuseConvLayer} makes a tf.layers.conv2d layer run tfjs's FusedConv2D kernel itself (with its
 * bias and relu or linear activation), also under the tape, and this module registers FusedConv2D's
 * gradient: dyAct = dy * step(y) (one native pass on "workbook", tfjs's mul and step elsewhere),
 * dx = Conv2DBackpropInput(dyAct), dw = Conv2DBackpropFilter(x, dyAct), dbias = sum of dyAct over
 * N, H, W, the same formulas as tfjs's own fused-conv gradient; the tape asks only for those it needs
 * (a first layer's dx is never computed). `workbookTuning.fusedConv = false` restores tfjs-layers' path.
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NativeKernels } from "./native";
import { workbookTuning } from "./tuning";
import { floatValues, outputBuffer } from "./kernels/cpu-data";

/** Kernel name of dy * step(y) (relu's backward pass in one loop) on the "workbook" backend. */
export const MUL_STEP_KERNEL = "WorkbookMulStep";

/** The native op code of a * step(b) in NativeKernels.binary. */
const MUL_STEP_OP = 6;

/** dy * step(y) for the "workbook" backend: one native pass instead of Step then Multiply. */
export function mulStepKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: MUL_STEP_KERNEL,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend }) => {
      const { dy, y } = inputs as unknown as { dy: tf.TensorInfo; y: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const dyv = floatValues(cpu, dy);
      const yv = floatValues(cpu, y);
      if (!dyv || !yv || dyv.length !== yv.length) throw new Error(`Error in ${MUL_STEP_KERNEL}: dy and y must be float32 tensors of one shape; got ${dy.shape} and ${y.shape}.`);
      const out = outputBuffer(cpu, dyv.length, false);
      if (out.length > 0) native.binary(MUL_STEP_OP, dyv, yv, out);
      return cpu.makeTensorInfo(dy.shape, "float32", out);
    },
  };
}

/** dL/dz for y = act(z): dy * step(y) for relu (y > 0 exactly where z > 0), dy for linear. */
function activationGradient(dy: tf.Tensor, y: tf.Tensor, activation: string | undefined): tf.Tensor {
  if (activation === undefined || activation === "linear") return dy;
  if (activation !== "relu") throw new Error(`Error in FusedConv2D's gradient: activation "${activation}" has no gradient here; use relu or linear (fuseConvLayer only fuses those).`);
  if (tf.getBackend() === "workbook" && tf.getKernel(MUL_STEP_KERNEL, "workbook")) return tf.engine().runKernel<tf.Tensor>(MUL_STEP_KERNEL, { dy, y });
  return tf.mul(dy, tf.step(y));
}

let gradientRegistered = false;

/**
 * Registers FusedConv2D's gradient with tfjs (once; tfjs-core has none, its fused op brings a
 * customGrad instead, which is unaffected: kernels inside a customGrad are not taped).
 * @example registerFusedConvGradient(); // then runKernel(FusedConv2D, ...) may be differentiated
 */
export function registerFusedConvGradient(): void {
  if (gradientRegistered || tf.getGradient(tf.FusedConv2D)) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: tf.FusedConv2D,
    inputsToSave: ["x", "filter", "bias"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, bias, y] = saved;
      const a = attrs as unknown as tf.FusedConv2DAttrs;
      const dilations = typeof a.dilations === "number" ? [a.dilations, a.dilations] : (a.dilations ?? [1, 1]);
      if (a.dataFormat === "NCHW" || dilations.some((d) => d !== 1)) throw new Error("Error in FusedConv2D's gradient: only NHWC without dilation is supported (as tfjs's own fused conv gradient).");
      // dz = dy * act'(z), computed once here (outside the per-input tidies) and shared by the three
      const dz = activationGradient(dy as tf.Tensor, y, a.activation);
      const conv = { strides: a.strides, pad: a.pad, dataFormat: "NHWC", dimRoundingMode: a.dimRoundingMode };
      return {
        // dx = the transpose of the convolution applied to dz
        x: () => tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropInput, { dy: dz, filter }, { ...conv, inputShape: x.shape }),
        // dw[kh, kw, c, o] = sum over n, oh, ow of x[n, ih, iw, c] dz[n, oh, ow, o]
        filter: () => tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropFilter, { x, dy: dz }, { ...conv, filterShape: filter.shape }),
        // dbias[o] = sum over n, oh, ow of dz[n, oh, ow, o]
        bias: () => tf.sum(dz, [0, 1, 2]).reshape(bias.shape),
      };
    },
  });
}

/** The tfjs-layers Conv2D fields the fused call reads (protected in its typings). */
interface ConvLayerFields {
  rank: number;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number[];
  kernel: { read(): tf.Tensor } | null;
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string } | null;
}

/** The activation name FusedConv2D applies for this layer, or null when it cannot fuse it. */
function fusedActivation(layer: ConvLayerFields): "relu" | "linear" | null {
  const name = layer.activation?.getClassName() ?? "linear";
  return name === "relu" || name === "linear" ? name : null;
}

/**
 * Makes a tf.layers.conv2d layer compute conv + bias + activation as one FusedConv2D kernel, in
 * training too (see the module comment), when `workbookTuning.fusedConv` is on and the layer is a
 * 2-D, channels-last, undilated convolution with a bias and a relu or linear activation; otherwise
 * (and when the switch is off) it runs tfjs-layers' own call. Weights, names and serialisation are
 * unchanged (the layer stays a Conv2D), so saved models load anywhere.
 * @example
 * const conv = fuseConvLayer(tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: "same", activation: "relu" }));
 */
export function fuseConvLayer<L extends tf.layers.Layer>(layer: L): L {
  registerFusedConvGradient();
  const original = layer.call.bind(layer);
  const fields = layer as unknown as ConvLayerFields;
  layer.call = (inputs, kwargs) => {
    const activation = fusedActivation(fields);
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const fusable =
      workbookTuning.fusedConv && fields.rank === 2 && fields.dataFormat === "channelsLast" && activation !== null && fields.kernel && fields.bias && x.rank === 4 && fields.dilationRate.every((d) => d === 1);
    if (!fusable || !fields.kernel || !fields.bias) return original(inputs, kwargs);
    const [kernel, bias] = [fields.kernel, fields.bias];
    return tf.tidy(() =>
      // y = act(conv(x, w) + b) in one kernel
      tf
        .engine()
        .runKernel<tf.Tensor>(tf.FusedConv2D, { x, filter: kernel.read(), bias: bias.read() }, { strides: fields.strides, pad: fields.padding, dataFormat: "NHWC", dilations: fields.dilationRate, activation }),
    );
  };
  return layer;
}
