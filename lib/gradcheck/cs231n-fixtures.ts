/**
 * The CS231n reference values (`shared/reference/cs231n-fixtures.json`): inputs and expected
 * float64 outputs of the assignments' optimizers and RNN/LSTM layers, computed outside this
 * project. Tests check the library against them; a notebook can check a student's layer too.
 */
import * as fs from "fs";
import * as path from "path";

type Matrix = number[][];
type Tensor3 = number[][][];

/** The fixture file's structure (snake_case keys as written by the Python side). */
export interface Cs231nFixtures {
  sgd_momentum: { w: Matrix; dw: Matrix; config: { learning_rate: number; momentum: number; velocity: Matrix }; expected_next_w: Matrix; expected_velocity: Matrix };
  rmsprop: { w: Matrix; dw: Matrix; config: { learning_rate: number; decay_rate: number; epsilon: number; cache: Matrix }; expected_next_w: Matrix; expected_cache: Matrix };
  adam: {
    w: Matrix;
    dw: Matrix;
    config: { learning_rate: number; beta1: number; beta2: number; epsilon: number; t: number; m: Matrix; v: Matrix };
    expected_next_w: Matrix;
    expected_m: Matrix;
    expected_v: Matrix;
    expected_t: number;
    lecture_form_next_w: Matrix;
  };
  rnn_step_forward: { x: Matrix; prev_h: Matrix; Wx: Matrix; Wh: Matrix; b: number[]; expected_next_h: Matrix };
  rnn_forward: { x: Tensor3; h0: Matrix; Wx: Matrix; Wh: Matrix; b: number[]; expected_h: Tensor3 };
  lstm_step_forward: { gate_order: string; x: Matrix; prev_h: Matrix; prev_c: Matrix; Wx: Matrix; Wh: Matrix; b: number[]; expected_next_h: Matrix; expected_next_c: Matrix };
  lstm_forward: { x: Tensor3; h0: Matrix; Wx: Matrix; Wh: Matrix; b: number[]; expected_h: Tensor3 };
  word_embedding_forward: { x: Matrix; W: Matrix; expected_out: Tensor3 };
  captioning_rnn_loss: { setup: string; rnn_features: string; lstm_features: string; expected_loss_rnn: number; expected_loss_lstm: number };
  _about: string;
}

/**
 * Where the fixture file is looked for, in order: `$WORKBOOK_FIXTURES`, then `shared/reference/`
 * beside or inside the package root, then the package's committed copy in `reference/`.
 */
export function cs231nFixturesCandidates(): string[] {
  const root = path.resolve(__dirname, "..", "..", "..");
  const fromEnv = process.env.WORKBOOK_FIXTURES ? [process.env.WORKBOOK_FIXTURES] : [];
  return [...fromEnv, path.join(root, "..", "shared", "reference", "cs231n-fixtures.json"), path.join(root, "shared", "reference", "cs231n-fixtures.json"), committedFixturesPath()];
}

/** The copy of the fixtures committed with the package (`reference/cs231n-fixtures.json`). */
export function committedFixturesPath(): string {
  return path.resolve(__dirname, "..", "..", "..", "reference", "cs231n-fixtures.json");
}

/**
 * Reads the CS231n fixtures.
 *
 * @example
 * ```ts
 * const fx = loadCs231nFixtures();
 * relError(rnnStepForward(fx.rnn_step_forward.x, ...).nextH, fx.rnn_step_forward.expected_next_h);
 * ```
 */
export function loadCs231nFixtures(): Cs231nFixtures {
  const candidates = cs231nFixturesCandidates();
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(`loadCs231nFixtures: cs231n-fixtures.json not found; looked in ${candidates.join(", ")}. Set WORKBOOK_FIXTURES to the file's path.`);
  }
  return JSON.parse(fs.readFileSync(found, "utf8")) as Cs231nFixtures;
}
