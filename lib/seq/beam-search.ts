/**
 * Beam search decoding: keep the `beamWidth` best partial sequences by summed log-probability,
 * extend each by every token, keep the best again; a sequence that emits <END> is finished.
 *
 *   score(y_1..y_t) = sum_t ln p(y_t | y_<t, x)          (optionally / length^alpha)
 *
 * Generic over the decoder's state, so the float64 captioning RNN and the tfjs seq2seq share it.
 */

/** One decoding step: log-probabilities of the next token after `token` in `state`, and the new state. */
export type BeamStep<S> = (token: number, state: S) => { logProbs: ArrayLike<number>; state: S };

/** Options of {@link beamSearch}. */
export interface BeamSearchOptions {
  /** Beams kept per step k (default 3); k = 1 is greedy decoding. */
  beamWidth?: number;
  /** Most tokens generated, <END> included. */
  maxLength: number;
  /** The <END> token; a hypothesis that emits it is finished. */
  endToken: number;
  /** Length normalisation exponent alpha of the final ranking (default 0: plain log-probability). */
  lengthPenalty?: number;
}

/** A finished (or maximal-length) hypothesis. */
export interface BeamResult {
  /** Generated tokens, without the start token and without <END>. */
  tokens: number[];
  /** Summed log-probability, <END> included when emitted. */
  logProb: number;
  /** True when the hypothesis emitted <END>. */
  finished: boolean;
}

interface Beam<S> {
  tokens: number[];
  logProb: number;
  state: S;
}

/**
 * Decodes one sequence by beam search from `startToken` and `initialState`.
 * @returns hypotheses, best first (at most beamWidth)
 * @example
 * const [best] = beamSearch(START, h0, (tok, h) => decoderStep(tok, h), { beamWidth: 3, maxLength: 16, endToken: END });
 */
export function beamSearch<S>(startToken: number, initialState: S, step: BeamStep<S>, options: BeamSearchOptions): BeamResult[] {
  const { beamWidth = 3, maxLength, endToken, lengthPenalty = 0 } = options;
  if (!Number.isInteger(beamWidth) || beamWidth < 1) throw new Error(`Error in beamSearch: beamWidth must be an integer >= 1, got ${beamWidth}.`);
  let beams: Beam<S>[] = [{ tokens: [startToken], logProb: 0, state: initialState }];
  const finished: BeamResult[] = [];
  for (let t = 0; t < maxLength && beams.length > 0; t++) {
    const candidates: { parent: Beam<S>; token: number; logProb: number; state: S }[] = [];
    for (const beam of beams) {
      const { logProbs, state } = step(beam.tokens[beam.tokens.length - 1], beam.state);
      // only the best beamWidth extensions of each beam can survive
      const order = Array.from({ length: logProbs.length }, (_, i) => i)
        .sort((a, b) => logProbs[b] - logProbs[a])
        .slice(0, beamWidth);
      for (const token of order) candidates.push({ parent: beam, token, logProb: beam.logProb + logProbs[token], state });
    }
    // keep the best beamWidth extensions overall; those ending in <END> leave the beam finished
    candidates.sort((a, b) => b.logProb - a.logProb);
    beams = [];
    for (const c of candidates.slice(0, beamWidth)) {
      if (c.token === endToken) finished.push({ tokens: c.parent.tokens.slice(1), logProb: c.logProb, finished: true });
      else beams.push({ tokens: [...c.parent.tokens, c.token], logProb: c.logProb, state: c.state });
    }
  }
  for (const b of beams) finished.push({ tokens: b.tokens.slice(1), logProb: b.logProb, finished: false });
  const score = (r: BeamResult) => r.logProb / Math.pow(Math.max(1, r.tokens.length + (r.finished ? 1 : 0)), lengthPenalty);
  return finished.sort((a, b) => score(b) - score(a)).slice(0, beamWidth);
}
