/**
 * Generated scenes of two coloured shapes on a black background, captioned with their relation:
 * "a red circle left of a blue square", "a green triangle above a yellow circle".
 * Seeded: the same options give the same pixels and captions on every machine.
 */
import { SeededRandom } from "../random/seeded-random";
import { CaptionedImageSet, CaptionedImageSplits } from "./captioned-images";

/** Shape names used in captions. */
export const SHAPES = ["circle", "square", "triangle"] as const;
/** Colour names used in captions, with their RGB values in [0, 1]. */
export const COLORS = {
  red: [1, 0.15, 0.15],
  green: [0.15, 0.85, 0.2],
  blue: [0.2, 0.35, 1],
  yellow: [1, 0.9, 0.1],
  magenta: [0.95, 0.2, 0.9],
  cyan: [0.1, 0.9, 0.95],
} as const;
/** Relations used in captions ("a X <relation> a Y"). */
export const RELATIONS = ["left of", "right of", "above", "below"] as const;

/** "circle" | "square" | "triangle". */
export type ShapeName = (typeof SHAPES)[number];
/** A colour word of {@link COLORS}. */
export type ColorName = keyof typeof COLORS;
/** "left of" | "right of" | "above" | "below". */
export type Relation = (typeof RELATIONS)[number];

/** One object of a scene: centre (x, y) in pixels and radius r. */
export interface SceneObject {
  shape: ShapeName;
  color: ColorName;
  x: number;
  y: number;
  r: number;
}

/** A scene: two objects and the relation of the first to the second. */
export interface Scene {
  first: SceneObject;
  second: SceneObject;
  relation: Relation;
}

/** Options of {@link generateShapeScenes}. */
export interface ShapeSceneOptions {
  /** Number of scenes N (required). */
  count: number;
  /** Height and width in pixels (default 32). */
  imageSize?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Split name stored on the result (default "train"). */
  name?: string;
}

const COLOR_NAMES = Object.keys(COLORS) as ColorName[];

/** "a red circle left of a blue square". */
export function sceneCaption(scene: Scene): string {
  return `a ${scene.first.color} ${scene.first.shape} ${scene.relation} a ${scene.second.color} ${scene.second.shape}`;
}

/** True when pixel centre (px, py) lies inside `o`. */
function inside(o: SceneObject, px: number, py: number): boolean {
  const dx = px - o.x,
    dy = py - o.y;
  if (o.shape === "circle") return dx * dx + dy * dy <= o.r * o.r;
  if (o.shape === "square") return Math.abs(dx) <= o.r * 0.85 && Math.abs(dy) <= o.r * 0.85;
  // upward triangle: apex at (x, y - r), base from (x - r, y + r) to (x + r, y + r)
  if (dy < -o.r || dy > o.r) return false;
  const halfWidth = (o.r * (dy + o.r)) / (2 * o.r);
  return Math.abs(dx) <= halfWidth;
}

/** Draws a random scene whose relation is unambiguous (the objects are apart along that axis). */
export function randomScene(random: SeededRandom, imageSize: number): Scene {
  const r = Math.round(imageSize * 0.12 + random.uniform() * imageSize * 0.04);
  const relation = random.pick(RELATIONS);
  const lo = r + 1,
    hi = imageSize - r - 2;
  // positions along the relation's axis: first before (left of / above) or after the second
  const a = lo + random.uniform() * ((hi - lo) / 2 - r);
  const b = a + 2 * r + 2 + random.uniform() * (hi - a - 2 * r - 2);
  const [p1, p2] = relation === "left of" || relation === "above" ? [a, b] : [b, a];
  const q1 = lo + random.uniform() * (hi - lo),
    q2 = lo + random.uniform() * (hi - lo);
  const horizontal = relation === "left of" || relation === "right of";
  const shape1 = random.pick(SHAPES),
    color1 = random.pick(COLOR_NAMES);
  let shape2 = random.pick(SHAPES),
    color2 = random.pick(COLOR_NAMES);
  while (shape2 === shape1 && color2 === color1) [shape2, color2] = [random.pick(SHAPES), random.pick(COLOR_NAMES)];
  return {
    first: { shape: shape1, color: color1, x: horizontal ? p1 : q1, y: horizontal ? q1 : p1, r },
    second: { shape: shape2, color: color2, x: horizontal ? p2 : q2, y: horizontal ? q2 : p2, r },
    relation,
  };
}

/** Renders a scene to RGB pixels [size, size, 3] in [0, 1]. */
export function renderScene(scene: Scene, imageSize: number, out = new Float32Array(imageSize * imageSize * 3)): Float32Array {
  for (const o of [scene.first, scene.second]) {
    const rgb = COLORS[o.color];
    for (let y = 0; y < imageSize; y++) {
      for (let x = 0; x < imageSize; x++) {
        if (!inside(o, x + 0.5, y + 0.5)) continue;
        const at = (y * imageSize + x) * 3;
        out[at] = rgb[0];
        out[at + 1] = rgb[1];
        out[at + 2] = rgb[2];
      }
    }
  }
  return out;
}

/**
 * N seeded scenes of two shapes with relation captions.
 * Shapes: images [N, size, size, 3] in [0, 1]; captions 8 words each.
 * @example
 * const set = generateShapeScenes({ count: 100, seed: 1 });
 * set.captions[0]; // e.g. "a blue triangle above a red square"
 */
export function generateShapeScenes(options: ShapeSceneOptions): CaptionedImageSet & { scenes: Scene[] } {
  const { count, imageSize = 32, seed = 0, name = "train" } = options;
  if (!Number.isInteger(count) || count < 0) throw new Error(`Error in generateShapeScenes: count must be a non-negative integer, got ${count}.`);
  if (!Number.isInteger(imageSize) || imageSize < 24) throw new Error(`Error in generateShapeScenes: imageSize must be an integer of at least 24 pixels, got ${imageSize}.`);
  const random = new SeededRandom(seed);
  const pixels = imageSize * imageSize * 3;
  const images = new Float32Array(count * pixels);
  const scenes: Scene[] = [];
  for (let i = 0; i < count; i++) {
    const scene = randomScene(random, imageSize);
    renderScene(scene, imageSize, images.subarray(i * pixels, (i + 1) * pixels));
    scenes.push(scene);
  }
  return { name, count, imageShape: [imageSize, imageSize, 3], images, captions: scenes.map(sceneCaption), scenes };
}

/**
 * Train/validation/test splits of shape scenes, each from its own seed derived from `seed`.
 * @example const { train, validation, test } = shapeSceneSplits({ train: 2000, validation: 200, test: 200 });
 */
export function shapeSceneSplits(sizes: { train: number; validation: number; test: number; seed?: number; imageSize?: number }): CaptionedImageSplits {
  const seed = sizes.seed ?? 0;
  const make = (name: string, count: number, offset: number) => generateShapeScenes({ count, imageSize: sizes.imageSize, seed: seed * 3 + offset, name });
  return { train: make("train", sizes.train, 1), validation: make("validation", sizes.validation, 2), test: make("test", sizes.test, 3) };
}
