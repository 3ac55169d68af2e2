/**
 * `dl-workbook/cnn`: designing a CNN for a given problem. Write the network as a {@link CnnSpec},
 * see its shapes, parameters, multiply-adds and receptive fields with {@link designTable}, check it
 * against an exercise's constraints with {@link checkDesign}.
 *
 * @example
 * import { referenceSpec, designTable, checkDesign } from "dl-workbook/cnn";
 * designTable(referenceSpec());
 * checkDesign(referenceSpec(), { input: [28, 28, 1], classes: 10, maxParams: 250_000 }); // []
 */
import "../backend";
export * from "./spec";
export * from "./analyze";
export * from "./table";
export * from "./check";
export * from "./build";
export * from "./augment";
export * from "./evaluate";
export * from "./progress";
export * from "./train";
export * from "./weights";
