/**
 * Test surfaces for optimizers: functions of two variables with analytic gradients, where the
 * trajectories of SGD, momentum, AdaGrad, RMSProp and Adam show their character.
 */
import * as tf from "@tensorflow/tfjs";

/** A function of two variables with its gradient, a box to draw, and a start point. */
export interface Surface {
  name: string;
  /** The formula, for titles: "0.1 x^2 + 2 y^2". */
  formula: string;
  f(x: number, y: number): number;
  /** `[df/dx, df/dy]` at `(x, y)`. */
  grad(x: number, y: number): [number, number];
  xRange: [number, number];
  yRange: [number, number];
  /** Where a comparison starts unless told otherwise. */
  start: [number, number];
  /** The global minimum `[x, y]` and its value, when there is one. */
  minimum?: { at: [number, number]; value: number };
  /** Learning rates that make a readable picture on this surface: for plain SGD, the momentum rules and the adaptive ones. */
  learningRates: { sgd: number; momentum: number; adaptive: number };
  /** Draw contours of log(1 + f - min f) (deep narrow valleys). */
  logContours?: boolean;
}

/**
 * The quadratic bowl `f = a x^2 + b y^2` (minimum 0 at the origin); condition number `max(a,b)/min(a,b)`.
 *
 * @example
 * ```ts
 * quadraticBowl(1, 1).grad(1, 2); // [2, 4]
 * ```
 */
export function quadraticBowl(a = 1, b = 1): Surface {
  const range = (c: number): [number, number] => [-Math.max(2, 2 / Math.sqrt(c)), Math.max(2, 2 / Math.sqrt(c))];
  return {
    name: a === b ? "quadratic bowl" : `quadratic bowl ${a}x^2 + ${b}y^2`,
    formula: `${a} x^2 + ${b} y^2`,
    // f = a x^2 + b y^2
    f: (x, y) => a * x * x + b * y * y,
    // grad = [2 a x, 2 b y]
    grad: (x, y) => [2 * a * x, 2 * b * y],
    xRange: range(a),
    yRange: range(b),
    start: [0.8 * range(a)[0], 0.6 * range(b)[1]],
    minimum: { at: [0, 0], value: 0 },
    learningRates: { sgd: 0.25 / Math.max(a, b), momentum: 0.05 / Math.max(a, b), adaptive: 0.1 },
  };
}

/**
 * The long valley `f = x^2 + 100 y^2` (condition number 100; assignment 2 asks about it). One
 * learning rate serves both directions, and the steep one caps it: SGD diverges above
 * `eta = 2 / 200 = 0.01`. At the suggested `eta = 0.008` SGD zig-zags across the valley (y is
 * multiplied by `1 - 200 eta = -0.6` each step) and crawls along it (x by `1 - 2 eta = 0.984`).
 * Momentum (0.9, `eta = 0.005`) shrinks both directions by `sqrt(0.9) = 0.95` a step, and
 * the adaptive rules step about `eta` in each coordinate whatever its gradient.
 * (With a condition number of 20 the cap costs little: SGD would still shrink x by 0.9 a step.)
 *
 * @example
 * ```ts
 * compareOptimizers({ surface: illConditionedBowl(), steps: 100, optimizers: ["sgd", "sgdMomentum", "adam"] });
 * ```
 */
export function illConditionedBowl(): Surface {
  return {
    ...quadraticBowl(1, 100),
    name: "ill-conditioned bowl",
    formula: "x^2 + 100 y^2",
    xRange: [-2.5, 2.5],
    yRange: [-1.25, 1.25],
    start: [-2, 1],
    // SGD: y factor 1 - 200 * 0.008 = -0.6 (zig-zag), x factor 1 - 2 * 0.008 = 0.984 (crawl)
    learningRates: { sgd: 0.008, momentum: 0.005, adaptive: 0.1 },
  };
}

/**
 * Beale's function `f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2`,
 * minimum 0 at (3, 0.5), with flat plateaus and steep walls.
 */
export function beale(): Surface {
  return {
    name: "Beale",
    formula: "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
    f: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    grad: (x, y) => {
      const a = 1.5 - x + x * y;
      const b = 2.25 - x + x * y * y;
      const c = 2.625 - x + x * y ** 3;
      // df/dx = 2a(y - 1) + 2b(y^2 - 1) + 2c(y^3 - 1);  df/dy = 2a x + 2b 2xy + 2c 3xy^2
      return [2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1), 2 * a * x + 4 * b * x * y + 6 * c * x * y * y];
    },
    xRange: [-4.5, 4.5],
    yRange: [-4.5, 4.5],
    start: [1, 1.5],
    minimum: { at: [3, 0.5], value: 0 },
    learningRates: { sgd: 1e-3, momentum: 1e-3, adaptive: 0.05 },
    logContours: true,
  };
}

/**
 * Rosenbrock's banana `f = (1 - x)^2 + 100 (y - x^2)^2`, minimum 0 at (1, 1) at the end of a
 * long curved valley.
 */
export function rosenbrock(): Surface {
  return {
    name: "Rosenbrock",
    formula: "(1 - x)^2 + 100 (y - x^2)^2",
    f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    // df/dx = -2(1 - x) - 400 x (y - x^2);  df/dy = 200 (y - x^2)
    grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    xRange: [-2, 2],
    yRange: [-1, 3],
    start: [-1.2, 1],
    minimum: { at: [1, 1], value: 0 },
    learningRates: { sgd: 1e-3, momentum: 1e-3, adaptive: 0.05 },
    logContours: true,
  };
}

/**
 * The saddle `f = x^2 - y^2`: from a start just off the ridge (y = 0.001) plain SGD lingers near
 * the saddle point for many steps before escaping; adaptive methods leave quickly. No minimum.
 */
export function saddle(): Surface {
  return {
    name: "saddle",
    formula: "x^2 - y^2",
    f: (x, y) => x * x - y * y,
    // grad = [2x, -2y]
    grad: (x, y) => [2 * x, -2 * y],
    xRange: [-2, 2],
    yRange: [-2, 2],
    start: [-1.8, 1e-3],
    learningRates: { sgd: 0.05, momentum: 0.01, adaptive: 0.05 },
  };
}

/** What {@link customSurface} takes. */
export interface CustomSurfaceSpec {
  name: string;
  formula?: string;
  xRange: [number, number];
  yRange: [number, number];
  start: [number, number];
  learningRates?: { sgd: number; momentum: number; adaptive: number };
  minimum?: { at: [number, number]; value: number };
  logContours?: boolean;
}

/**
 * A surface from your own `f(x, y)`, with its gradient by centered finite differences
 * (`df/dx ~ (f(x + h, y) - f(x - h, y)) / 2h`) or from your own `grad`.
 *
 * @example
 * ```ts
 * const s = customSurface((x, y) => Math.sin(x) + y * y, { name: "wave", xRange: [-3, 3], yRange: [-2, 2], start: [2, 1.5] });
 * ```
 */
export function customSurface(f: (x: number, y: number) => number, spec: CustomSurfaceSpec, grad?: (x: number, y: number) => [number, number], h = 1e-6): Surface {
  const numericGrad = (x: number, y: number): [number, number] => [(f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)];
  return {
    name: spec.name,
    formula: spec.formula ?? spec.name,
    f,
    grad: grad ?? numericGrad,
    xRange: spec.xRange,
    yRange: spec.yRange,
    start: spec.start,
    minimum: spec.minimum,
    learningRates: spec.learningRates ?? { sgd: 0.01, momentum: 0.005, adaptive: 0.05 },
    logContours: spec.logContours,
  };
}

/**
 * A surface from a function written with tfjs ops; the gradient comes from tfjs's autodiff
 * (`tf.grads`, in float32).
 *
 * @example
 * ```ts
 * const s = surfaceFromTf((x, y) => tf.add(tf.square(x), tf.mul(3, tf.square(y))), { name: "bowl", xRange: [-2, 2], yRange: [-2, 2], start: [1.5, 1.5] });
 * ```
 */
export function surfaceFromTf(f: (x: tf.Scalar, y: tf.Scalar) => tf.Scalar, spec: CustomSurfaceSpec): Surface {
  const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => f(x as tf.Scalar, y as tf.Scalar));
  const value = (x: number, y: number): number => tf.tidy(() => f(tf.scalar(x), tf.scalar(y)).dataSync()[0]);
  const grad = (x: number, y: number): [number, number] =>
    tf.tidy(() => {
      const [gx, gy] = g([tf.scalar(x), tf.scalar(y)]);
      return [gx.dataSync()[0], gy.dataSync()[0]];
    });
  return customSurface(value, spec, grad);
}

/** The surfaces of the lecture, by name. */
export const surfaces = { quadraticBowl, illConditionedBowl, beale, rosenbrock, saddle };
