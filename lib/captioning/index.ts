/**
 * `dl-workbook/captioning`: image captioning with a CNN encoder and an RNN/LSTM decoder,
 * vocabulary and BLEU, generated captioning data sets.
 */
export * from "./vocabulary";
export * from "./bleu";
