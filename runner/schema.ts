/** Checks notebooks against the nbformat v4.5 JSON schema (vendored, see NBFORMAT-SCHEMA-LICENSE.md). */
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import schemaJson from "./nbformat.v4.5.schema.json";

let validator: ValidateFunction | undefined;

/** The compiled schema. It is draft-04; the keywords it uses mean the same in Ajv's default draft. */
function compiled(): ValidateFunction {
  if (!validator) {
    const { $schema: _draft, ...schema } = schemaJson as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, allErrors: true });
    validator = ajv.compile(schema);
  }
  return validator;
}

/** One schema violation: where in the notebook (a JSON pointer, "/cells/3/outputs/0") and what. */
export interface SchemaProblem {
  path: string;
  message: string;
}

/**
 * The nbformat 4.5 schema's complaints about `notebook`; an empty list when it is valid.
 *
 * @example
 * const problems = validateNotebook(readNotebook("out/01-adam.ipynb"));
 * if (problems.length) console.error(problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
 */
export function validateNotebook(notebook: unknown): SchemaProblem[] {
  const validate = compiled();
  if (validate(notebook)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => ({
    path: e.instancePath || "/",
    message: `${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`,
  }));
}
