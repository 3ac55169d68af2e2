/**
 * Small, meaning-preserving rewrites of a cell's source before tslab's converter sees it, for
 * places where the converter's rewrite of earlier cells' names to `exports.<name>` goes wrong:
 *
 * - `{ load }` becomes `{ load: load }`: the converter does not see that a shorthand property
 *   reads a variable, so `load` from an earlier cell was left bare ("load is not defined").
 *   Destructuring assignments `({ load } = o)` and `({ load = 1 } = o)` are shorthands too.
 * - `const { a: renamed } = f()` and `{ a: 1 }` quote the property name (`"a"`): when the
 *   property's type was declared in an earlier cell the converter took the name `a` for a
 *   variable and emitted `exports` in its place.
 * - a top-level `export` keyword is blanked out: the converter exports every top-level name
 *   itself, and its own `export { g }` collided with `export function g` ("Cannot redeclare").
 *
 * Rewrites only insert text on a line (or blank a keyword), so lines never move; `toOriginal`
 * maps an offset in the rewritten code back to the cell for type errors' line and column.
 */
import type * as TS from "typescript";

/** A cell's rewritten source and the map of its offsets back to the cell the user wrote. */
export interface CellRewrite {
  code: string;
  /** Offset in `code` -> offset in the original cell. */
  toOriginal: (offset: number) => number;
}

interface Insertion {
  /** Offset in the original cell where `text` goes. */
  pos: number;
  text: string;
}

/** Rewrites `code` (see file comment); a cell with nothing to rewrite comes back as it is, unparsed. */
export function rewriteCell(ts: typeof TS, code: string): CellRewrite {
  // A cell without braces or `export` has nothing to rewrite: skip the parse.
  if (!code.includes("{") && !/\bexport\b/.test(code)) return { code, toOriginal: (offset) => offset };
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const insertions: Insertion[] = [];
  const blanks: { start: number; end: number }[] = [];
  const quote = (name: TS.Identifier): void => {
    insertions.push({ pos: name.getStart(file), text: '"' }, { pos: name.end, text: '"' });
  };
  const visit = (node: TS.Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) {
      insertions.push({ pos: node.name.end, text: `: ${node.name.text}` });
    } else if (ts.isBindingElement(node) && node.propertyName && ts.isIdentifier(node.propertyName)) {
      quote(node.propertyName);
    } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ts.isObjectLiteralExpression(node.parent)) {
      quote(node.name);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const statement of file.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    const exported = modifiers.find((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (exported && !isDefault) blanks.push({ start: exported.getStart(file), end: exported.end });
  }
  if (insertions.length === 0 && blanks.length === 0) return { code, toOriginal: (offset) => offset };
  let chars = code.split("");
  for (const { start, end } of blanks) for (let i = start; i < end; i++) chars[i] = " ";
  insertions.sort((a, b) => a.pos - b.pos);
  let out = "";
  let at = 0;
  for (const ins of insertions) {
    out += chars.slice(at, ins.pos).join("") + ins.text;
    at = ins.pos;
  }
  out += chars.slice(at).join("");
  chars = [];
  return {
    code: out,
    toOriginal(offset: number): number {
      let shift = 0;
      for (const ins of insertions) {
        const newPos = ins.pos + shift;
        if (offset >= newPos + ins.text.length) shift += ins.text.length;
        else if (offset > newPos) return ins.pos;
        else break;
      }
      return offset - shift;
    },
  };
}

/**
 * True when `code` awaits outside any function or class (`await p`, `await (p)`, `for await`, `await using`):
 * the cell must then run as an async function. tslab's converter took TypeScript's error 1308 for a
 * top-level await, which its TypeScript fork raised and TypeScript 5.9 does not (a cell is an ES
 * module, where top-level await is allowed), so this is what finds one.
 * @example hasTopLevelAwait(ts, "const x = await load();") // true
 */
export function hasTopLevelAwait(ts: typeof TS, code: string): boolean {
  if (!/\bawait\b/.test(code)) return false;
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const visit = (node: TS.Node): boolean => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isModuleDeclaration(node)) return false;
    if (ts.isAwaitExpression(node)) return true;
    // A cell is parsed as a script, where `await (p)` reads as a call of a function named await.
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "await") return true;
    if (ts.isForOfStatement(node) && node.awaitModifier) return true;
    // `await using x = ...` awaits x's disposal where its block (or the cell) ends
    if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === Number(ts.NodeFlags.AwaitUsing)) return true;
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(file);
}
