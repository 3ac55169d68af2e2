import { test } from "node:test";
import assert from "node:assert/strict";
import { gradientFlow, longTermDependency, longTermDependencyData, sequenceClassifierLoss, initSequenceClassifier, randomOrthogonal } from "../index";
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
  const bundle = result[JUPYTER_DISPLAY]();
  assert.match(String(bundle["text/plain"]), /chance 0.25/);
  assert.equal((bundle[PLOTLY_MIME] as FigureSpec).data.length, 3);
});
