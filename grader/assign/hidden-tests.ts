/**
 * Reads hidden test cases out of a `// BEGIN HIDDEN TESTS` region, statically, with the
 * TypeScript parser. Each case is written in the source notebook as
 *
 * ```ts
 * hiddenTest("t = 1 from zero moments", () => adamStep([1, 2], [0.1, -0.2], config).nextW,
 *            { kind: "relative-error", threshold: 1e-7 }, 2);
 * ```
 *
 * the call as an arrow function with an expression body (it becomes the spec's `call`), the
 * comparison as an object literal (JSON values only), and an optional numeric weight.
 */
import * as ts from "typescript";
import type { Comparison, CreditBand, HiddenTestCase, JsonValue } from "./format";

/** The name of the helper that declares a hidden test case in a source notebook. */
export const HIDDEN_TEST_FUNCTION = "hiddenTest";

/** A case, or a problem at a 1-based line of the region's text. */
export type ExtractedCase = { ok: true; testCase: HiddenTestCase; line: number } | { ok: false; line: number; message: string };

/** Evaluates a literal expression (numbers, strings, booleans, null, arrays, objects) to JSON. */
function literalValue(node: ts.Expression, sourceFile: ts.SourceFile): JsonValue {
  if (ts.isParenthesizedExpression(node)) return literalValue(node.expression, sourceFile);
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) return -Number(node.operand.text);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => literalValue(e, sourceFile));
  if (ts.isObjectLiteralExpression(node)) {
    const out: { [key: string]: JsonValue } = {};
    for (const prop of node.properties) {
      if (!ts.isPropertyAssignment(prop) || !(ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) {
        throw new Error(`only "key: literal" properties are allowed, not "${prop.getText(sourceFile)}"`);
      }
      out[prop.name.text] = literalValue(prop.initializer, sourceFile);
    }
    return out;
  }
  throw new Error(`"${node.getText(sourceFile)}" is not a literal; write the comparison with literal values only`);
}

function isBands(value: JsonValue | undefined): value is CreditBand[] & JsonValue {
  return (
    Array.isArray(value) &&
    value.every((b) => typeof b === "object" && b !== null && !Array.isArray(b) && typeof b.maxRelativeError === "number" && typeof b.credit === "number" && b.credit >= 0 && b.credit <= 1)
  );
}

/** Checks that a literal is a {@link Comparison}, or says what is wrong with it. */
export function asComparison(value: JsonValue): Comparison {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error('the comparison must be an object such as { kind: "relative-error", threshold: 1e-7 }');
  const bandsHelp = "bands must be [{ maxRelativeError: number, credit: 0..1 }, ...]";
  switch (value.kind) {
    case "relative-error": {
      if (typeof value.threshold !== "number" || !(value.threshold > 0)) throw new Error('a relative-error comparison needs a positive threshold, e.g. { kind: "relative-error", threshold: 1e-7 }');
      if (value.bands !== undefined && !isBands(value.bands)) throw new Error(bandsHelp);
      const bands = value.bands as CreditBand[] | undefined;
      return bands ? { kind: "relative-error", threshold: value.threshold, bands } : { kind: "relative-error", threshold: value.threshold };
    }
    case "gradient-check":
      if (!isBands(value.bands) || value.bands.length === 0) throw new Error(`a gradient-check comparison needs bands; ${bandsHelp}`);
      return { kind: "gradient-check", bands: value.bands };
    case "exact":
      return { kind: "exact" };
    default:
      throw new Error(`unknown comparison kind ${JSON.stringify(value.kind)}; use "relative-error", "gradient-check" or "exact"`);
  }
}

/**
 * Extracts the hidden test cases from the text of a hidden-tests region. `firstLine` is the
 * 1-based cell line where the text starts, so problems point at the right line of the cell.
 *
 * @example
 * extractHiddenTests('hiddenTest("one", () => f(1), { kind: "exact" });', 4)
 * // [{ ok: true, line: 4, testCase: { name: "one", call: "f(1)", compare: { kind: "exact" }, weight: 1 } }]
 */
export function extractHiddenTests(text: string, firstLine: number): ExtractedCase[] {
  const sourceFile = ts.createSourceFile("hidden-tests.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: ExtractedCase[] = [];
  const lineOf = (node: ts.Node): number => firstLine + sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === HIDDEN_TEST_FUNCTION) {
      const line = lineOf(node);
      const [nameArg, callArg, compareArg, weightArg] = node.arguments;
      const usage = `write ${HIDDEN_TEST_FUNCTION}("case name", () => fn(inputs), { kind: "relative-error", threshold: 1e-7 }, weight?)`;
      if (!nameArg || !(ts.isStringLiteral(nameArg) || ts.isNoSubstitutionTemplateLiteral(nameArg))) {
        found.push({ ok: false, line, message: `${HIDDEN_TEST_FUNCTION}: the first argument must be the case name as a string literal; ${usage}.` });
        return;
      }
      if (!callArg || !ts.isArrowFunction(callArg) || callArg.parameters.length > 0 || ts.isBlock(callArg.body)) {
        found.push({ ok: false, line, message: `${HIDDEN_TEST_FUNCTION}("${nameArg.text}"): the second argument must be an arrow function without parameters and with an expression body; ${usage}.` });
        return;
      }
      if (!compareArg) {
        found.push({ ok: false, line, message: `${HIDDEN_TEST_FUNCTION}("${nameArg.text}"): the comparison (third argument) is missing; ${usage}.` });
        return;
      }
      try {
        const compare = asComparison(literalValue(compareArg, sourceFile));
        let weight = 1;
        if (weightArg) {
          const w = literalValue(weightArg, sourceFile);
          if (typeof w !== "number" || !(w > 0)) throw new Error("the weight (fourth argument) must be a positive number literal");
          weight = w;
        }
        const call = callArg.body.getText(sourceFile);
        found.push({ ok: true, line, testCase: { name: nameArg.text, call, compare, weight } });
      } catch (err) {
        found.push({ ok: false, line, message: `${HIDDEN_TEST_FUNCTION}("${nameArg.text}"): ${(err as Error).message}.` });
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}
