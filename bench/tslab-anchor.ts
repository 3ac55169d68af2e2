/**
 * Preloaded (`node -r`) into tslab 1.0.22 when `npm run bench:kernel` runs it as the anchor: tslab as
 * published, with its own TypeScript fork 5.0.4 (the devDependency `tslab-typescript-5.0`), since
 * the package's `overrides` give `@tslab/typescript-for-tslab` the TypeScript 5.9 that dl-workbook's
 * cells use, which plain tslab cannot run on (it calls the fork's extra exports).
 */
import Module = require("module");

const FORK = "@tslab/typescript-for-tslab";
const PUBLISHED_FORK = "tslab-typescript-5.0";

/** Node's module resolver (internal, untyped in @types/node). */
type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  const published = request === FORK || request.startsWith(`${FORK}/`) ? PUBLISHED_FORK + request.slice(FORK.length) : request;
  return resolve.call(this, published, ...rest);
};
