/** The update rules, and a table of them by name. */
import { sgd, SgdConfig } from "./sgd";
import { sgdMomentum, SgdMomentumConfig } from "./sgd-momentum";
import { nesterov, NesterovConfig } from "./nesterov";
import { adagrad, AdagradConfig } from "./adagrad";
import { rmsprop, RmspropConfig } from "./rmsprop";
import { adam, AdamConfig } from "./adam";
import { adamw, AdamwConfig } from "./adamw";
import { adamLecture } from "./adam-lecture";
import { UpdateRule } from "./update-rule";

export { sgd, SgdConfig, sgdMomentum, SgdMomentumConfig, nesterov, NesterovConfig, adagrad, AdagradConfig, rmsprop, RmspropConfig, adam, AdamConfig, adamw, AdamwConfig, adamLecture, UpdateRule };
export { adamStep, readAdamConfig } from "./adam";

/** Each rule's config type, by rule name. */
export interface RuleConfigs {
  sgd: SgdConfig;
  sgdMomentum: SgdMomentumConfig;
  nesterov: NesterovConfig;
  adagrad: AdagradConfig;
  rmsprop: RmspropConfig;
  adam: AdamConfig;
  adamw: AdamwConfig;
  adamLecture: AdamConfig;
}

/** The name of a library update rule. */
export type RuleName = keyof RuleConfigs;

/** The update rules by name. */
export const updateRules: { [K in RuleName]: UpdateRule<RuleConfigs[K]> } = { sgd, sgdMomentum, nesterov, adagrad, rmsprop, adam, adamw, adamLecture };

/** True for the rules that scale steps per weight (AdaGrad, RMSProp, the Adams). */
export function isAdaptive(rule: RuleName): boolean {
  return rule === "adagrad" || rule === "rmsprop" || rule === "adam" || rule === "adamw" || rule === "adamLecture";
}
