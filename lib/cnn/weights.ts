/**
 * Saving and loading a model to a folder: `model.json` (tfjs's layers-model format: topology and
 * weights manifest) and `weights.bin` (all weights, float32, in manifest order).
 */
import * as tf from "@tensorflow/tfjs";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";

interface ModelJson {
  modelTopology: tf.io.ModelArtifacts["modelTopology"];
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format: string;
  generatedBy: string;
}

function concatWeightData(data: tf.io.ModelArtifacts["weightData"]): Uint8Array {
  if (!data) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

/**
 * Writes `model` to `dir` (created if needed): model.json and weights.bin, readable by
 * {@link loadWeights}, {@link loadModel} and tf.loadLayersModel.
 * @example await saveWeights(model, "checkpoints/lenet");
 */
export async function saveWeights(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json: ModelJson = { modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }], format: "layers-model", generatedBy: "dl-workbook" };
      writeFileSync(join(dir, "weights.bin"), concatWeightData(artifacts.weightData));
      writeFileSync(join(dir, "model.json"), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
}

function readArtifacts(dir: string, fn: string): tf.io.ModelArtifacts {
  let json: ModelJson;
  let bin: Buffer;
  try {
    json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as ModelJson;
    bin = readFileSync(join(dir, "weights.bin"));
  } catch (err) {
    throw new Error(`Error in ${fn}: cannot read a saved model in "${dir}" (${(err as Error).message}); save one with saveWeights(model, "${dir}").`);
  }
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const needed = weightSpecs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (bin.length !== needed) throw new Error(`Error in ${fn}: "${join(dir, "weights.bin")}" has ${bin.length} bytes but model.json describes ${needed}; the files do not belong together.`);
  return { modelTopology: json.modelTopology, weightSpecs, weightData: Uint8Array.from(bin).buffer };
}

/**
 * Loads weights saved by {@link saveWeights} into `model`, which must have the same architecture
 * (same weights, in the same order, with the same shapes).
 * @example const model = buildModel(spec); await loadWeights(model, "checkpoints/lenet");
 */
export async function loadWeights(model: tf.LayersModel, dir: string): Promise<void> {
  const artifacts = readArtifacts(dir, "loadWeights");
  const specs = artifacts.weightSpecs ?? [];
  const named = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, specs);
  const targets = model.weights;
  if (targets.length !== specs.length) {
    throw new Error(`Error in loadWeights: the model has ${targets.length} weight tensors but "${dir}" holds ${specs.length}; build the model from the same spec that was saved.`);
  }
  const values = specs.map((s, i) => {
    const t = named[s.name];
    const want = targets[i].shape;
    if (t.shape.join(",") !== want.join(",")) {
      throw new Error(
        `Error in loadWeights: weight ${i} ("${targets[i].name}") has shape [${want.join(", ")}] in the model but [${t.shape.join(", ")}] in "${dir}" ("${s.name}"); build the model from the saved spec.`,
      );
    }
    return t;
  });
  model.setWeights(values);
  tf.dispose(Object.values(named));
}

/**
 * Loads a whole model (architecture and weights) saved by {@link saveWeights}.
 * @example const model = await loadModel("checkpoints/lenet");
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(readArtifacts(dir, "loadModel")));
}
