import { test } from "node:test";
import assert from "node:assert/strict";
import { gradientFlow, longTermDependency, longTermDependencyData, sequenceClassifierLoss, initSequenceClassifier, randomOrthogonal, COUNTRY_LANGUAGE } from "../index";
import { gradCheck } from "../../gradcheck";
import { rng } from "../../ndarray";
import { JUPYTER_DISPLAY } from "../../display";
import { PLOTLY_MIME, FigureSpec } from "../../plot";

test("randomOrthogonal gives Q^T Q = I", () => {
  const Q = randomOrthogonal(rng(1), 6);
  const I = Q.T.matmul(Q);
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) assert.ok(Math.abs(I.get(i, j) - (i === j ? 1 : 0)) < 1e-12);
});

test("gradientFlow: the vanilla RNN's gradient vanishes at scale 0.5 and explodes at 2; the LSTM keeps far more at 0.5", () => {
  const flow = gradientFlow({ T: 30, scales: [0.5, 2] });
  const back = 29;
  const rnnLow = flow.curve("rnn", 0.5).norms;
  const rnnHigh = flow.curve("rnn", 2).norms;
  const lstmLow = flow.curve("lstm", 0.5).norms;
  assert.ok(rnnLow[back] < 1e-6 * rnnLow[0], `rnn 0.5: ${rnnLow[back]} vs ${rnnLow[0]}`);
  assert.ok(rnnHigh[back] > 100 * rnnHigh[0], `rnn 2: ${rnnHigh[back]} vs ${rnnHigh[0]}`);
  assert.ok(lstmLow[back] > 1e3 * rnnLow[back], `lstm 0.5 keeps ${lstmLow[back]}, rnn 0.5 ${rnnLow[back]}`);
  const fig = flow[JUPYTER_DISPLAY]()[PLOTLY_MIME] as FigureSpec;
  assert.equal(fig.data.length, 4);
  assert.equal(fig.layout?.yaxis?.type, "log");
});

test("the long-term dependency data reads as the slide's sentence", () => {
  const data = longTermDependencyData({ gap: 3, n: 5, seed: 2 });
  assert.deepEqual(data.x.shape, [5, 11]);
  const s = data.sentence(0);
  assert.match(s, /^i grew up in (india|france|japan|brazil)( \w+){3} i speak fluent -> (hindi|french|japanese|portuguese)$/);
  const country = s.split(" ")[4];
  const language = s.split(" -> ")[1];
  assert.equal({ india: "hindi", france: "french", japan: "japanese", brazil: "portuguese" }[country], language);
});

test("the short-gap data reads as the slide's 'the clouds are in the sky'", () => {
  const data = longTermDependencyData({ task: "sky", gap: 0, n: 40, seed: 2 });
  assert.deepEqual(data.x.shape, [40, 5]);
  assert.equal(data.task, "sky");
  const sentences = Array.from({ length: 40 }, (_, i) => data.sentence(i));
  assert.ok(sentences.includes("the clouds are in the -> sky"), sentences.join("; "));
  for (const s of sentences) assert.match(s, /^the (clouds|fish|cars|books) are in the -> (sky|sea|street|library)$/);
  assert.throws(() => longTermDependencyData({ task: "moon" as "sky", gap: 0, n: 1 }), /task must be "language" or "sky"/);
});

test("longTermDependency on the short gap: the plain RNN completes 'the clouds are in the' with 'sky'", () => {
  const result = longTermDependency({ task: "sky", gaps: [0], iterations: 100, testSize: 100, progress: false });
  assert.equal(result.chance, 0.25);
  assert.ok(result.accuracy("rnn", 0) >= 0.95, String(result));
  const p = result.predict("rnn", 0, "The clouds are in the");
  assert.equal(p.answer, "sky");
  assert.ok(Math.abs(Object.values(p.probabilities).reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.match(String(result), /^Short-gap dependency/);
});

test("the sequence classifier's backward pass passes the gradient check (1e-6)", () => {
  for (const cell of ["rnn", "lstm"] as const) {
    const r = rng(5);
    const data = longTermDependencyData({ gap: 2, n: 3, seed: 1 });
    const params = initSequenceClassifier(r, cell, data.vocab.length, 3, 4, 4);
    const { grads } = sequenceClassifierLoss(cell, params, data.x, data.y);
    assert.ok(grads);
    gradCheck({
      name: `classifier ${cell}`,
      f: (p) => sequenceClassifierLoss(cell, { W_embed: p.W_embed, Wx: p.Wx, Wh: p.Wh, b: p.b, W_out: p.W_out, b_out: p.b_out }, data.x, data.y).loss,
      inputs: { ...params },
      analytic: { ...grads },
      threshold: 1e-6,
    }).assertPassed();
  }
});

test("longTermDependency: at gap 16 the LSTM learns the country (>= 0.9) while the RNN stays near chance (<= 0.5)", () => {
  const result = longTermDependency({ gaps: [16], iterations: 200, testSize: 100, progress: false });
  assert.ok(result.accuracy("lstm", 16) >= 0.9, String(result));
  assert.ok(result.accuracy("rnn", 16) <= 0.5, String(result));
  // the LSTM's answer follows the country; the RNN's cannot see it 16 words back
  const fillers = "and then we moved to a new city where people often talk about food music the weather";
  const answers = (cell: "rnn" | "lstm") => COUNTRY_LANGUAGE.map(([country]) => result.predict(cell, 16, `i grew up in ${country} ${fillers} i speak fluent`).answer);
  assert.deepEqual(
    answers("lstm"),
    COUNTRY_LANGUAGE.map((p) => p[1]),
  );
  assert.ok(new Set(answers("rnn")).size <= 2, `rnn answers ${answers("rnn")}`);
  assert.throws(() => result.predict("rnn", 16, "i grew up in atlantis"), /predict: .*unknown: atlantis/);
  assert.throws(() => result.predict("rnn", 8, "i speak fluent"), /no run for rnn at gap 8/);
  const bundle = result[JUPYTER_DISPLAY]();
  assert.match(String(bundle["text/plain"]), /chance 0.25/);
  assert.equal((bundle[PLOTLY_MIME] as FigureSpec).data.length, 3);
});
