import { test } from "node:test";
import assert from "node:assert/strict";
import { inflateSync } from "zlib";
import { createHash } from "crypto";
import { generateShapeScenes, shapeSceneSplits } from "./shape-scenes";
import { digitStrips, DIGIT_WORDS } from "./digit-strips";
import { encodeImagePng } from "./rgb-png";
import { captionGallery } from "./caption-gallery";
import { imageAt, takeCaptioned } from "./captioned-images";
import { JUPYTER_DISPLAY } from "../display";
import { loadMnist } from "../data";

const digest = (a: Float32Array) =>
  createHash("sha256")
    .update(Buffer.from(a.buffer, a.byteOffset, a.byteLength))
    .digest("hex");

test("shape scenes are deterministic per seed, and captions match the drawn pixels", () => {
  const a = generateShapeScenes({ count: 40, seed: 5 });
  const b = generateShapeScenes({ count: 40, seed: 5 });
  const c = generateShapeScenes({ count: 40, seed: 6 });
  assert.equal(digest(a.images), digest(b.images));
  assert.deepEqual(a.captions, b.captions);
  assert.notEqual(digest(a.images), digest(c.images));
  assert.deepEqual(a.imageShape, [32, 32, 3]);
  for (let i = 0; i < a.count; i++) {
    const { first, second, relation } = a.scenes[i];
    assert.match(a.captions[i], /^a (red|green|blue|yellow|magenta|cyan) (circle|square|triangle) (left of|right of|above|below) a \w+ \w+$/);
    // the relation holds with the objects apart by more than their sizes
    const gap = relation === "left of" ? second.x - first.x : relation === "right of" ? first.x - second.x : relation === "above" ? second.y - first.y : first.y - second.y;
    assert.ok(gap > 2 * first.r, `scene ${i}: ${a.captions[i]} gap ${gap}`);
    // the first object's colour is drawn at its centre
    const px = imageAt(a, i);
    const at = (Math.floor(first.y) * 32 + Math.floor(first.x)) * 3;
    assert.ok(px[at] + px[at + 1] + px[at + 2] > 0.5, `scene ${i}: nothing drawn at the first object's centre`);
  }
  const splits = shapeSceneSplits({ train: 30, validation: 10, test: 10, seed: 1 });
  assert.equal(splits.validation.count, 10);
  assert.notDeepEqual(splits.train.captions.slice(0, 10), splits.test.captions);
  assert.throws(() => generateShapeScenes({ count: 1, imageSize: 8 }), /at least 24 pixels/);
});

test("MNIST digit strips: 2-4 digits captioned with their words, deterministic", () => {
  const mnist = loadMnist({ seed: 0, validationSize: 1000 });
  const a = digitStrips(mnist.test, { count: 30, seed: 2 });
  const b = digitStrips(mnist.test, { count: 30, seed: 2 });
  assert.equal(digest(a.images), digest(b.images));
  assert.deepEqual(a.imageShape, [28, 112, 1]);
  for (let i = 0; i < a.count; i++) {
    const k = a.digits[i].length;
    assert.ok(k >= 2 && k <= 4);
    assert.equal(a.captions[i], a.digits[i].map((d) => DIGIT_WORDS[d]).join(" "));
    // strips of k digits leave (4 - k) * 14 blank columns on each side
    const strip = imageAt(a, i);
    let edge = 0;
    for (let y = 0; y < 28; y++) for (let x = 0; x < ((4 - k) * 28) / 2; x++) edge += strip[y * 112 + x];
    assert.equal(edge, 0);
  }
  assert.throws(() => digitStrips(mnist.test, { count: 1, minDigits: 3, maxDigits: 2 }), /minDigits <= maxDigits/);
});

test("PNG encoder writes a valid RGB image whose pixels inflate back", () => {
  const px = new Float32Array(2 * 3 * 3).map((_, i) => (i % 3 === 0 ? 1 : 0));
  const png = encodeImagePng(px, 3, 2, 3);
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  assert.equal(png.toString("ascii", 12, 16), "IHDR");
  assert.equal(png.readUInt32BE(16), 3);
  assert.equal(png.readUInt32BE(20), 2);
  assert.equal(png[25], 2);
  const idatLength = png.readUInt32BE(33);
  assert.equal(png.toString("ascii", 37, 41), "IDAT");
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  assert.deepEqual([...raw], [0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0]);
  assert.throws(() => encodeImagePng(px, 4, 2, 3), /do not fill a 2x4x3 image/);
});

test("caption gallery shows images with generated and true captions", () => {
  const set = takeCaptioned(generateShapeScenes({ count: 5, seed: 1 }), 3);
  const generated = [set.captions[0], "a red circle above a blue square", set.captions[2]];
  const bundle = captionGallery(set, generated, { title: "scenes <test>" })[JUPYTER_DISPLAY]();
  const html = String(bundle["text/html"]);
  assert.equal(html.match(/<img /g)?.length, 3);
  assert.ok(html.includes("data:image/png;base64,"));
  assert.ok(html.includes("scenes &lt;test&gt;"));
  assert.ok(html.includes(set.captions[1]));
  assert.match(String(bundle["text/plain"]), /#1 x generated: a red circle above a blue square \| true: /);
  assert.throws(() => captionGallery(set, ["only one"]), /1 generated captions for 3 images/);
});
