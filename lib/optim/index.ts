/**
 * `dl-workbook/optim`: the update rules of the lecture (SGD, momentum, Nesterov, AdaGrad, RMSProp,
 * Adam as in Kingma & Ba, AdamW, and the slide's `adamLecture`) on float64 arrays, the same rules
 * as tfjs optimizers, test surfaces, and `compareOptimizers`.
 */
export * from "./rules";
export { WorkbookOptimizer, NamedTensor } from "./tfjs/workbook-optimizer";
export { SgdOptimizer, SgdMomentumOptimizer, NesterovOptimizer, AdagradOptimizer, RmspropOptimizer, AdamOptimizer, AdamwOptimizer, AdamLectureOptimizer, AdamHyperparameters } from "./tfjs/optimizers";
export { Surface, quadraticBowl, illConditionedBowl, beale, rosenbrock, saddle, customSurface, surfaceFromTf, CustomSurfaceSpec, surfaces } from "./surfaces";
export { compareOptimizers, withConfig, OPTIMIZER_COLORS, OptimizerComparison, OptimizerRun, OptimizerChoice, TrajectoryOptimizer, CompareOptimizersSpec } from "./compare-optimizers";
