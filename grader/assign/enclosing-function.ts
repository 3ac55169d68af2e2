/**
 * The name of the function that encloses a line of a code cell, for the student stub
 * `throw new Error("Not implemented: <name>")`.
 */
import * as ts from "typescript";

function nameOf(node: ts.Node, sourceFile: ts.SourceFile): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) {
    const method = node.name.getText(sourceFile);
    const owner = ts.isMethodDeclaration(node) && ts.isClassDeclaration(node.parent) && node.parent.name ? `${node.parent.name.text}.` : "";
    return owner + method;
  }
  if (ts.isConstructorDeclaration(node) && ts.isClassDeclaration(node.parent) && node.parent.name) return `new ${node.parent.name.text}`;
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const parent = node.parent;
    if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) return parent.name.getText(sourceFile);
    if (ts.isFunctionExpression(node) && node.name) return node.name.text;
  }
  return undefined;
}

/**
 * The name of the innermost named function, method or function-valued variable whose body
 * contains the 0-based `line` of `source`; undefined at top level.
 *
 * @example
 * enclosingFunctionName("export function adamStep(w: number[]) {\n  // BEGIN SOLUTION\n}", 1) // "adamStep"
 */
export function enclosingFunctionName(source: string, line: number): string | undefined {
  const sourceFile = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const lineStarts = sourceFile.getLineStarts();
  if (line < 0 || line >= lineStarts.length) return undefined;
  const position = lineStarts[line];
  let best: string | undefined;
  const visit = (node: ts.Node): void => {
    if (position < node.getStart(sourceFile) || position >= node.getEnd()) return;
    const name = nameOf(node, sourceFile);
    if (name !== undefined) best = name;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return best;
}
