/**
 * Interrupt checks in cell loops. The SIGINT that breaks a synchronous cell only works while
 * `vm.runInThisContext` runs; a loop after an `await` (or in a callback) runs later, outside it.
 * So every `for`, `while` and `do` loop in a cell's emitted JavaScript starts its body with
 * `__dlwb__.checkInterrupt();`, which reads the shared interrupt flag (one Atomics.load) and
 * throws when the user asked to interrupt. Library loops are untouched (they call
 * `interruptRequested()` from dl-workbook/display between steps).
 */
import type * as TS from "typescript";
import { tslabTypeScript } from "./typescript";

/** The statement put at the top of every loop body. */
export const CHECK_CALL = "__dlwb__.checkInterrupt()";

const HAS_LOOP = /\b(for|while|do)\b/;

/** Returns `js` with an interrupt check at the start of every loop body (unchanged when it has no loop). */
export function addLoopChecks(js: string): string {
  if (!HAS_LOOP.test(js)) return js;
  const ts = tslabTypeScript();
  const check = (): TS.Statement =>
    ts.factory.createExpressionStatement(ts.factory.createCallExpression(ts.factory.createPropertyAccessExpression(ts.factory.createIdentifier("__dlwb__"), "checkInterrupt"), undefined, []));
  const withCheck = (body: TS.Statement): TS.Block => (ts.isBlock(body) ? ts.factory.updateBlock(body, [check(), ...body.statements]) : ts.factory.createBlock([check(), body], true));
  const transformer: TS.TransformerFactory<TS.SourceFile> = (context) => {
    const visit = (node: TS.Node): TS.Node => {
      const visited = ts.visitEachChild(node, visit, context);
      if (ts.isWhileStatement(visited)) return ts.factory.updateWhileStatement(visited, visited.expression, withCheck(visited.statement));
      if (ts.isDoStatement(visited)) return ts.factory.updateDoStatement(visited, withCheck(visited.statement), visited.expression);
      if (ts.isForStatement(visited)) return ts.factory.updateForStatement(visited, visited.initializer, visited.condition, visited.incrementor, withCheck(visited.statement));
      if (ts.isForOfStatement(visited)) return ts.factory.updateForOfStatement(visited, visited.awaitModifier, visited.initializer, visited.expression, withCheck(visited.statement));
      if (ts.isForInStatement(visited)) return ts.factory.updateForInStatement(visited, visited.initializer, visited.expression, withCheck(visited.statement));
      return visited;
    };
    return (file) => ts.visitNode(file, visit) as TS.SourceFile;
  };
  const result = ts.transpileModule(js, {
    fileName: "cell.js",
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None, noImplicitUseStrict: true, allowJs: true, newLine: ts.NewLineKind.LineFeed, removeComments: false },
    transformers: { before: [transformer] },
  });
  return result.outputText;
}
