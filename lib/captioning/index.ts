/**
 * `dl-workbook/captioning`: image captioning with a CNN encoder and an RNN/LSTM decoder,
 * vocabulary and BLEU, generated captioning data sets.
 */
export * from "../text/tokenize";
export * from "../text/vocabulary";
export * from "../text/bleu";
export * from "./captioned-images";
export * from "./shape-scenes";
export * from "./digit-strips";
export * from "./rgb-png";
export * from "./caption-gallery";
export * from "./captioning-rnn";
export * from "./captioning-solver";
export * from "./image-features";
export * from "./tf-captioning-model";
export * from "./caption-encoders";
