/** The slide's form of Adam: no bias correction, epsilon inside the root. */
import { UpdateRule, readWeights } from "./update-rule";
import { AdamConfig, readAdamConfig } from "./adam";

/**
 * Adam as written on the lecture slide (nu for m, s for v), kept as a named variant so a
 * notebook can show the difference from {@link adam}:
 * `m <- beta1 m + (1 - beta1) dw`; `v <- beta2 v + (1 - beta2) dw^2`;
 * `w <- w - learningRate * m / sqrt(v + epsilon)` (no bias correction; the slide's stray `* g_t`
 * is dropped). `t` is still counted so configs can be swapped between the two.
 *
 * Early steps are larger than Adam's: with m and v starting at zero, step 1 moves each weight by
 * `learningRate * 0.1 |dw| / sqrt(0.001 dw^2)` ~ 3.16 learningRate (Adam: learningRate); under a
 * constant gradient the ratio `(1 - beta1^t) / sqrt(1 - beta2^t)` stays above 1 for hundreds of
 * steps before both averages fill.
 *
 * Shapes: `w`, `dw`, `config.m`, `config.v` all the same shape.
 *
 * @example
 * ```ts
 * const slide = adamLecture(w, dw, config).nextW;
 * const paper = adam(w, dw, config).nextW;
 * ```
 */
export const adamLecture: UpdateRule<AdamConfig> = (w, dw, config = {}) => {
  const { W, dW } = readWeights("adamLecture", w, dw);
  const cfg = readAdamConfig("adamLecture", config, W);
  const { beta1, beta2, epsilon, learningRate } = cfg;
  // nu = beta1 * nu + (1 - beta1) * g
  const m = cfg.m.mul(beta1).add(dW.mul(1 - beta1));
  // s = beta2 * s + (1 - beta2) * g^2
  const v = cfg.v.mul(beta2).add(dW.square().mul(1 - beta2));
  // w = w - eta * nu / sqrt(s + eps)
  const nextW = W.sub(m.mul(learningRate).div(v.add(epsilon).sqrt()));
  return { nextW, config: { ...cfg, m, v, t: cfg.t + 1 } };
};
