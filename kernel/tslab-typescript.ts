/**
 * What tslab's converter took from its TypeScript fork (@tslab/typescript-for-tslab 5.0.4),
 * written on TypeScript's public API, so that cells are checked by the TypeScript this package
 * pins (package.json `overrides` installs it in the fork's place). Compared file by file with
 * TypeScript 5.0.4 as published, the fork's lib/typescript.js differs only by:
 * - five exports: getNullTransformationContext, getDefaultTypeRoots (internal in TypeScript),
 *   getPreEmitDiagnosticsOfFiles, a getQuickInfoAtPosition that takes a source file and a checker
 *   instead of a language service (the service's own body, moved out), and
 *   Completions.getCompletionsAtPositionForTslab (getCompletionsAtPosition without a format context);
 * - a compiler option `disableTopLevelAwait` that skips the checker's top-level-await grammar check,
 *   so a top-level `await` was reported as error 1308, which the converter takes as "this cell awaits".
 *   Not needed: a cell is an ES module (module ESNext, target ES2022), where TypeScript accepts
 *   top-level await as it is, and the kernel finds a top-level await itself (cell-rewrite.ts,
 *   hasTopLevelAwait); TypeScript ignores the option it does not know.
 * Its typescript.d.ts declares those, `SourceFile.locals`, findNextToken and findPrecedingToken
 * (exported at run time by TypeScript as well). The fixes in tslab-fixes.ts (TYPESCRIPT_API_FIXES)
 * call the functions below instead, and drop `noImplicitUseStrict`, which TypeScript 5.5 removed.
 */
import type * as TS from "typescript";

/** The internal helpers of TypeScript's services that quick info needs (exported at run time, not in its .d.ts). */
interface ServicesInternals {
  getTouchingPropertyName(sourceFile: TS.SourceFile, position: number): TS.Node;
  getContainingObjectLiteralElement(node: TS.Node): (TS.ObjectLiteralElement & { parent: TS.ObjectLiteralExpression }) | undefined;
  getPropertySymbolsFromContextualType(node: TS.ObjectLiteralElement, checker: TS.TypeChecker, contextualType: TS.Type, unionSymbolOk: boolean): readonly TS.Symbol[];
  createTextSpanFromNode(node: TS.Node, sourceFile: TS.SourceFile): TS.TextSpan;
  typeToDisplayParts(checker: TS.TypeChecker, type: TS.Type, enclosingDeclaration?: TS.Node): TS.SymbolDisplayPart[];
  getContainerNode(node: TS.Node): TS.Declaration | undefined;
  isLabelName(node: TS.Node): boolean;
  isTagName(node: TS.Node): boolean;
  isConstTypeReference(node: TS.Node): boolean;
  isInComment(sourceFile: TS.SourceFile, position: number): unknown;
  isImportMeta(node: TS.Node): boolean;
  isInJSFile(node: TS.Node): boolean;
  SymbolDisplay: {
    getSymbolDisplayPartsDocumentationAndSymbolKind(
      checker: TS.TypeChecker,
      symbol: TS.Symbol,
      sourceFile: TS.SourceFile,
      enclosingDeclaration: TS.Node | undefined,
      location: TS.Node,
      semanticMeaning?: number,
      alias?: TS.Symbol,
      maximumLength?: number,
    ): { symbolKind: TS.ScriptElementKind; displayParts: TS.SymbolDisplayPart[]; documentation: TS.SymbolDisplayPart[]; tags: TS.JSDocTagInfo[] | undefined };
    getSymbolModifiers(checker: TS.TypeChecker, symbol: TS.Symbol): string;
  };
}

/** How long a type in quick info may get before TypeScript shortens it (the language service's default for hovers). */
const HOVER_MAXIMUM_LENGTH = 500;

/** The node quick info describes: `new X` describes X, a named tuple member or import.meta the whole. */
function nodeForQuickInfo(ts: typeof TS & ServicesInternals, node: TS.Node): TS.Node {
  if (ts.isNewExpression(node.parent) && node.pos === node.parent.pos) return node.parent.expression;
  if (ts.isNamedTupleMember(node.parent) && node.pos === node.parent.pos) return node.parent;
  if (ts.isImportMeta(node.parent) && (node.parent as TS.MetaProperty).name === node) return node.parent;
  if (ts.isJsxNamespacedName(node.parent)) return node.parent;
  return node;
}

/** Whether a node without a symbol still has a type worth showing (TypeScript's services, shouldGetType). */
function shouldGetType(ts: typeof TS & ServicesInternals, sourceFile: TS.SourceFile, node: TS.Node, position: number): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.Identifier:
      // a name in a JSDoc comment of a TypeScript file: a @param's or a property's, which has no type to show
      if (node.flags & ts.NodeFlags.JSDoc && !ts.isInJSFile(node) && ((ts.isPropertySignature(node.parent) && node.parent.name === node) || ts.findAncestor(node, ts.isParameter))) return false;
      return !ts.isLabelName(node) && !ts.isTagName(node) && !ts.isConstTypeReference(node.parent);
    case ts.SyntaxKind.PropertyAccessExpression:
    case ts.SyntaxKind.QualifiedName:
      return !ts.isInComment(sourceFile, position);
    case ts.SyntaxKind.ThisKeyword:
    case ts.SyntaxKind.ThisType:
    case ts.SyntaxKind.SuperKeyword:
    case ts.SyntaxKind.NamedTupleMember:
      return true;
    case ts.SyntaxKind.MetaProperty:
      return ts.isImportMeta(node);
    default:
      return false;
  }
}

/**
 * Quick info (type and TSDoc) at `position` of `sourceFile`, as TypeScript's language service
 * computes it, from a checker instead of a language service (the fork's getQuickInfoAtPosition).
 */
export function quickInfoAtPosition(typescript: typeof TS, sourceFile: TS.SourceFile, checker: TS.TypeChecker, position: number): TS.QuickInfo | undefined {
  const ts = typescript as typeof TS & ServicesInternals;
  const touching = ts.getTouchingPropertyName(sourceFile, position);
  if (touching === sourceFile) return undefined;
  const node = nodeForQuickInfo(ts, touching);
  let symbol = checker.getSymbolAtLocation(node);
  // a property of an object literal: the property of the type the literal is given to
  const element = ts.getContainingObjectLiteralElement(node);
  const contextualType = element && checker.getContextualType(element.parent);
  const properties = element && contextualType ? ts.getPropertySymbolsFromContextualType(element, checker, contextualType, false) : [];
  if (properties.length === 1) symbol = properties[0];
  const textSpan = ts.createTextSpanFromNode(node, sourceFile);
  if (!symbol || (checker as TS.TypeChecker & { isUnknownSymbol(symbol: TS.Symbol): boolean }).isUnknownSymbol(symbol)) {
    const type = shouldGetType(ts, sourceFile, node, position) ? checker.getTypeAtLocation(node) : undefined;
    if (!type) return undefined;
    const documentation = type.symbol ? type.symbol.getDocumentationComment(checker) : undefined;
    const tags = type.symbol ? type.symbol.getJsDocTags(checker) : undefined;
    return { kind: ts.ScriptElementKind.unknown, kindModifiers: ts.ScriptElementKindModifier.none, textSpan, displayParts: ts.typeToDisplayParts(checker, type, ts.getContainerNode(node)), documentation, tags };
  }
  const { symbolKind, displayParts, documentation, tags } = ts.SymbolDisplay.getSymbolDisplayPartsDocumentationAndSymbolKind(
    checker,
    symbol,
    sourceFile,
    ts.getContainerNode(node),
    node,
    undefined,
    undefined,
    HOVER_MAXIMUM_LENGTH,
  );
  return { kind: symbolKind, kindModifiers: ts.SymbolDisplay.getSymbolModifiers(checker, symbol), textSpan, displayParts, documentation, tags };
}

/** The diagnostics of `files` and of the program as a whole, sorted, without duplicates (the fork's getPreEmitDiagnosticsOfFiles). */
export function preEmitDiagnosticsOfFiles(ts: typeof TS, program: TS.Program, files: readonly TS.SourceFile[]): readonly TS.Diagnostic[] {
  const options = program.getCompilerOptions();
  const diagnostics: TS.Diagnostic[] = [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const file of files) {
    diagnostics.push(...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file));
    if (options.declaration || options.composite) diagnostics.push(...program.getDeclarationDiagnostics(file));
  }
  return ts.sortAndDeduplicateDiagnostics(diagnostics);
}

/** Every `node_modules/@types` folder from `cwd` up that exists (TypeScript 5.0's getDefaultTypeRoots). */
export function defaultTypeRoots(ts: typeof TS, cwd: string, directoryExists: (path: string) => boolean): string[] | undefined {
  const roots = ts.getEffectiveTypeRoots({}, { getCurrentDirectory: () => cwd })?.filter((root) => directoryExists(root));
  return roots && roots.length > 0 ? roots : undefined;
}
