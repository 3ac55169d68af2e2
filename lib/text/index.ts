/**
 * Text tools shared by captioning and the sequence models: word tokenisation, the word
 * {@link Vocabulary} with its special tokens, the character vocabulary of min-char-rnn, and
 * corpus BLEU. `dl-workbook/captioning` and `dl-workbook/seq` re-export them.
 *
 * @example
 * import { Vocabulary, corpusBleu } from "dl-workbook/captioning";
 * const vocab = Vocabulary.fromCaptions(["a red circle", "a blue square"]);
 * corpusBleu([["a red circle"]], ["a red square"]).bleu; // BLEU-1..4
 */
export * from "./tokenize";
export * from "./vocabulary";
export * from "./bleu";
export * from "./char-vocabulary";
