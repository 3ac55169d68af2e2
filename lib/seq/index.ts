/**
 * `dl-workbook/seq`: sequence models. A character language model (min-char-rnn's vanilla RNN
 * and an LSTM in tfjs) on a committed corpus, and sequence-to-sequence translation.
 */
export * from "./corpus";
export * from "../text/char-vocabulary";
export * from "./char-statistics";
export * from "../random/seeded-random";
export * from "./min-char-rnn";
export * from "./date-translation";
export * from "./tf-lstm";
export * from "./lstm-language-model";
export * from "./beam-search";
export * from "./tf-decode";
export * from "./seq2seq";
export * from "./layers-language-model";
