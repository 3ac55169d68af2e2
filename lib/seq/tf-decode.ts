/**
 * Decoding a tfjs LSTM decoder, written once for the captioning model and seq2seq: greedy
 * decoding of a batch, and beam search of one sequence (see ./beam-search).
 *
 *   greedy:  y_t = argmax_v ln p(v | y_<t, x),  y_0 = <START>
 */
import * as tf from "@tensorflow/tfjs";
import { beamSearch, BeamResult, BeamSearchOptions } from "./beam-search";
import type { LstmState } from "./tf-lstm";

/** One batched decoder step: the next token's log-probabilities [N, V] after `tokens` [N], and the new state. */
export type TfDecodeStep = (tokens: tf.Tensor1D, state: LstmState) => { logProbs: tf.Tensor2D; state: LstmState };

/**
 * Greedy decoding of a batch of `batch` sequences: from <START>, feed back the most likely token
 * each step, for `steps` steps (no early stop: rows are cut at <END> when decoded).
 * `initialState` runs inside the decoding's `tf.tidy`, so its tensors are freed with the rest.
 * @returns token indices [batch, steps], without <START>
 * @example
 * greedyDecode(() => model.initialState(images), vocab.startIdx, images.shape[0], 17, (w, s) => model.step(w, s));
 */
export function greedyDecode(initialState: () => LstmState, startToken: number, batch: number, steps: number, step: TfDecodeStep): number[][] {
  const tokens = tf.tidy(() => {
    let state = initialState();
    let y = tf.fill<tf.Rank.R1>([batch], startToken, "int32");
    const out: tf.Tensor1D[] = [];
    for (let t = 0; t < steps; t++) {
      const next = step(y, state);
      state = next.state;
      // y_t = argmax_v ln p(v | y_<t, x)
      y = tf.cast(tf.argMax(next.logProbs, 1), "int32") as tf.Tensor1D;
      out.push(y);
    }
    return tf.stack(out, 1);
  });
  const rows = tokens.arraySync() as number[][];
  tokens.dispose();
  return rows;
}

/**
 * Beam search of one sequence through a tfjs decoder: `initialState` gives the [1, H] state of
 * that one sequence; between steps the state lives in Float32Arrays, so only one step's tensors
 * exist at a time.
 * @returns the best hypothesis (tokens without <START> and <END>)
 * @example
 * const best = beamDecode(() => model.initialState(image), vocab.startIdx, (w, s) => model.step(w, s), { beamWidth: 3, maxLength: 17, endToken: vocab.endIdx });
 */
export function beamDecode(initialState: () => LstmState, startToken: number, step: TfDecodeStep, options: BeamSearchOptions): BeamResult {
  const [h, c] = tf.tidy(() => {
    const s = initialState();
    return [s.h, s.c];
  });
  const H = h.shape[1];
  const initial = { h: h.dataSync() as Float32Array, c: c.dataSync() as Float32Array };
  tf.dispose([h, c]);
  const [best] = beamSearch(
    startToken,
    initial,
    (token, s) =>
      tf.tidy(() => {
        const next = step(tf.tensor1d([token], "int32"), { h: tf.tensor2d(s.h, [1, H]), c: tf.tensor2d(s.c, [1, H]) });
        return { logProbs: next.logProbs.dataSync(), state: { h: next.state.h.dataSync() as Float32Array, c: next.state.c.dataSync() as Float32Array } };
      }),
    options,
  );
  return best;
}
