/**
 * `dl-workbook`'s float64 n-d array: {@link NDArray}, conversion from nested arrays
 * ({@link asNDArray}), creation (`zeros`, `linspace`, ...), the seeded {@link rng}, and the
 * operations the from-scratch layers need (matmul, transpose, broadcasting, slicing, concat).
 */
export { NDArray, NestedNumbers, ArrayLike, sigmoid, sizeOf, stridesOf, shapeString, shapeArgument } from "./ndarray";
export { asNDArray, asMask, MaskLike, NestedBooleans, expectRank, expectSameDim } from "./as-ndarray";
export { zeros, ones, full, zerosLike, linspace, arange } from "./create";
export { Rng, rng } from "./random";
export { matmul } from "./matmul";
export { transpose } from "./transpose";
export { binaryOp, broadcastShapes, BinaryFn } from "./broadcast";
export { sliceAlong, takeAlong, assignAlong, concat, stack } from "./slice";
export { argmaxRows, sumAlong } from "./reduce";
export { formatNDArray, ndarrayBundle } from "./display";
