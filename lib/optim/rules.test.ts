import { test } from "node:test";
import assert from "node:assert/strict";
import { sgd, sgdMomentum, nesterov, adagrad, rmsprop, adam, adamw, adamLecture } from "./index";
import { relError, loadCs231nFixtures } from "../gradcheck";
import { asNDArray, rng } from "../ndarray";

const fx = loadCs231nFixtures();

test("sgdMomentum matches the CS231n fixture: next_w and velocity (rel error <= 1e-7)", () => {
  const f = fx.sgd_momentum;
  const { nextW, config } = sgdMomentum(f.w, f.dw, { learningRate: f.config.learning_rate, momentum: f.config.momentum, velocity: asNDArray(f.config.velocity) });
  assert.ok(relError(nextW, f.expected_next_w) <= 1e-7, `next_w ${relError(nextW, f.expected_next_w)}`);
  assert.ok(relError(config.velocity, f.expected_velocity) <= 1e-7);
});

test("rmsprop matches the CS231n fixture: next_w and cache (rel error <= 1e-7)", () => {
  const f = fx.rmsprop;
  const c = f.config;
  const { nextW, config } = rmsprop(f.w, f.dw, { learningRate: c.learning_rate, decayRate: c.decay_rate, epsilon: c.epsilon, cache: asNDArray(c.cache) });
  assert.ok(relError(nextW, f.expected_next_w) <= 1e-7, `next_w ${relError(nextW, f.expected_next_w)}`);
  assert.ok(relError(config.cache, f.expected_cache) <= 1e-7);
});

test("adam is Kingma & Ba (fixture next_w, m, v, t within 1e-7) and adamLecture reproduces lecture_form_next_w", () => {
  const f = fx.adam;
  const c = f.config;
  const start = { learningRate: c.learning_rate, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon, t: c.t, m: asNDArray(c.m), v: asNDArray(c.v) };
  const { nextW, config } = adam(f.w, f.dw, start);
  assert.ok(relError(nextW, f.expected_next_w) <= 1e-7, `next_w ${relError(nextW, f.expected_next_w)}`);
  assert.ok(relError(config.m, f.expected_m) <= 1e-7);
  assert.ok(relError(config.v, f.expected_v) <= 1e-7);
  assert.equal(config.t, f.expected_t);
  const slide = adamLecture(f.w, f.dw, start);
  assert.ok(relError(slide.nextW, f.lecture_form_next_w) <= 1e-7, `lecture form ${relError(slide.nextW, f.lecture_form_next_w)}`);
  // the two forms really differ on this input
  assert.ok(relError(slide.nextW, nextW) > 1e-4);
});

test("sgd, nesterov, adagrad and adamw follow their formulas; defaults are CS231n's", () => {
  const r = rng(5);
  const w = r.randn(3, 4);
  const dw = r.randn(3, 4);
  assert.ok(relError(sgd(w, dw).nextW, w.sub(dw.mul(1e-2))) < 1e-15);
  // nesterov from zero velocity: v = -lr dw, w + (1 + mu) v
  const n1 = nesterov(w, dw, { learningRate: 0.1, momentum: 0.9 });
  assert.ok(relError(n1.nextW, w.sub(dw.mul(0.1 * 1.9))) < 1e-15);
  const n2 = nesterov(n1.nextW, dw, n1.config);
  const v2 = n1.config.velocity.mul(0.9).sub(dw.mul(0.1));
  assert.ok(relError(n2.nextW, n1.nextW.sub(n1.config.velocity.mul(0.9)).add(v2.mul(1.9))) < 1e-15);
  // adagrad's first step is lr * dw / (|dw| + eps), about lr * sign(dw)
  assert.ok(relError(adagrad(w, dw, { learningRate: 0.5 }).nextW, w.sub(dw.map((g) => g / (Math.abs(g) + 1e-8)).mul(0.5))) < 1e-15);
  // adamw = adam with weight decay 0; with decay it subtracts lr * lambda * w more
  const a = adam(w, dw, { learningRate: 0.01 });
  assert.ok(relError(adamw(w, dw, { learningRate: 0.01, weightDecay: 0 }).nextW, a.nextW) < 1e-15);
  assert.ok(relError(adamw(w, dw, { learningRate: 0.01, weightDecay: 0.1 }).nextW, a.nextW.sub(w.mul(0.01 * 0.1))) < 1e-12);
  const m = sgdMomentum(w, dw);
  assert.equal(m.config.learningRate, 1e-2);
  assert.equal(m.config.momentum, 0.9);
  const ad = adam(w, dw);
  assert.deepEqual([ad.config.learningRate, ad.config.beta1, ad.config.beta2, ad.config.epsilon, ad.config.t], [1e-3, 0.9, 0.999, 1e-8, 1]);
  assert.throws(() => adam([1, 2], [1, 2, 3]), /Error in adam: w and dw must have the same shape, got w \[2\] and dw \[3\]/);
  assert.throws(() => rmsprop([1, 2], [1, 2], { cache: asNDArray([1]) }), /Error in rmsprop: config.cache has shape \[1\] but w has shape \[2\]/);
});
