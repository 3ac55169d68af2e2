import { test } from "node:test";
import assert from "node:assert/strict";
import { dateTranslationSplits, isoDate } from "./date-translation";

test("date translation pairs are seeded, distinct across splits, and targets are valid ISO dates", () => {
  const a = dateTranslationSplits({ train: 300, validation: 50, test: 50, seed: 4 });
  const b = dateTranslationSplits({ train: 300, validation: 50, test: 50, seed: 4 });
  assert.deepEqual(a, b);
  const sources = new Set([...a.train, ...a.validation, ...a.test].map((p) => p.source));
  assert.equal(sources.size, 400);
  for (const { source, target } of [...a.train, ...a.test]) {
    assert.match(target, /^(19[5-9]\d|20[0-4]\d)-\d\d-\d\d$/);
    const [y, m, d] = target.split("-").map(Number);
    assert.equal(new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10), target);
    assert.ok(source.includes(String(y)), `${source} -> ${target}`);
  }
  assert.equal(isoDate(1998, 3, 3), "1998-03-03");
  const formats = new Set(a.train.map((p) => p.source.replace(/\d/g, "9").replace(/[a-z]+/gi, "w")));
  assert.ok(formats.size >= 6, `only ${formats.size} formats`);
});
