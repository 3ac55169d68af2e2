/**
 * `dl-workbook/rnn`: the RNN family from scratch in float64, forward and backward, with CS231n's
 * names and signatures in camelCase: affine, vanilla RNN step and sequence (full and truncated
 * BPTT), word embedding, temporal affine, temporal softmax loss, LSTM step and sequence,
 * gradient clipping, deep, bidirectional and pyramid recurrent layers, and the lecture demos.
 */
export { affineForward, affineBackward, AffineCache } from "./affine";
export { rnnStepForward, rnnStepBackward, RnnStepCache } from "./rnn-step";
export { rnnForward, rnnBackward, RnnCache } from "./rnn";
export { wordEmbeddingForward, wordEmbeddingBackward, WordEmbeddingCache } from "./word-embedding";
export { temporalAffineForward, temporalAffineBackward, TemporalAffineCache } from "./temporal-affine";
export { temporalSoftmaxLoss } from "./temporal-softmax-loss";
export { lstmStepForward, lstmStepBackward, LstmStepCache } from "./lstm-step";
export { lstmForward, lstmBackward, LstmCache } from "./lstm";
export { CellType, RecurrentParams, RecurrentGrads, RecurrentCache, recurrentForward, recurrentBackward, reverseTime } from "./recurrent";
export { clipGradientsByValue, clipGradientsByNorm } from "./clipping";
export { truncatedBptt, TruncatedBpttSpec, TruncatedBpttResult } from "./truncated-bptt";
export { deepRnnForward, deepRnnBackward, DeepRnnCache } from "./deep";
export { bidirectionalForward, bidirectionalBackward, MergeMode, DirectionParams, BidirectionalCache } from "./bidirectional";
export { pyramidReduceForward, pyramidReduceBackward, pyramidEncoderForward, pyramidEncoderBackward, OddLengthRule, PyramidReduceCache, PyramidLevelParams, PyramidEncoderCache } from "./pyramid";
export { lstmGatesToTfjs, lstmGatesFromTfjs } from "./tfjs-gate-order";
export { gradientFlow, GradientFlowSpec, GradientFlowResult, GradientFlowCurve } from "./demos/gradient-flow";
export { longTermDependencyData, LongTermDependencyData, DependencyTask, dependencyTaskWords, COUNTRY_LANGUAGE, SUBJECT_PLACE, FILLER_WORDS } from "./demos/long-term-dependency-data";
export { initSequenceClassifier, sequenceClassifierLoss, SequenceClassifierParams } from "./demos/sequence-classifier";
export { longTermDependency, LongTermDependencySpec, LongTermDependencyResult, LongTermDependencyRun, DependencyPrediction } from "./demos/long-term-dependency";
export { randomOrthogonal } from "./demos/orthogonal";
export { nextWordDemo, NextWordDemoSpec, NextWordDemoResult, NextWordStep, wordTokens, NEXT_WORD_SENTENCE, NEXT_WORD_CORPUS } from "./demos/next-word";
