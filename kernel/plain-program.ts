/**
 * The program tslab's converter builds for each cell, as a plain TypeScript program.
 *
 * TypeScript's watch program wraps each program in a BuilderProgram, which records the
 * dependency graph and a signature of every file in it: every declaration file a dl-workbook
 * import brings in, on every cell, a large share of building the cell's program. The converter needs
 * only the program, its emit, and the cell's dependencies among the notebook folder's own .ts
 * and .js files (to compile those with it); this gives it exactly that.
 */
import type * as TS from "typescript";

/** The part of TypeScript's BuilderProgram that the watch program and tslab's converter use. */
export interface PlainBuilder {
  getProgram(): TS.Program;
  getProgramOrUndefined(): TS.Program;
  releaseProgram(): void;
  getCompilerOptions(): TS.CompilerOptions;
  getCurrentDirectory(): string;
  getSourceFile(fileName: string): TS.SourceFile | undefined;
  getSourceFiles(): readonly TS.SourceFile[];
  getOptionsDiagnostics(): readonly TS.Diagnostic[];
  getGlobalDiagnostics(): readonly TS.Diagnostic[];
  getConfigFileParsingDiagnostics(): readonly TS.Diagnostic[];
  getSyntacticDiagnostics(file?: TS.SourceFile): readonly TS.Diagnostic[];
  getSemanticDiagnostics(file?: TS.SourceFile): readonly TS.Diagnostic[];
  getDeclarationDiagnostics(file?: TS.SourceFile): readonly TS.Diagnostic[];
  emit(file?: TS.SourceFile, writeFile?: TS.WriteFileCallback, cancellationToken?: TS.CancellationToken, emitOnlyDts?: boolean, transformers?: TS.CustomTransformers): TS.EmitResult;
  /** `file` and the notebook folder's own .ts/.js files it imports, directly or through each other. */
  getAllDependencies(file: TS.SourceFile): string[];
  /** What TypeScript's watch code asks a builder for: the files of the program, by path. */
  getState(): { fileInfos: Map<string, unknown> };
}

/** TypeScript 5.3+'s lookup of what a file's import resolved to (a Program method, not in its .d.ts). */
interface ResolvingProgram {
  getResolvedModule?(file: TS.SourceFile, moduleName: string, mode: TS.ResolutionMode): TS.ResolvedModuleWithFailedLookupLocations | undefined;
}

/** The createProgram function to give `ts.createWatchCompilerHost` in place of its BuilderProgram default. */
export function plainProgramFactory(
  ts: typeof TS,
): (
  rootNames: readonly string[] | undefined,
  options: TS.CompilerOptions | undefined,
  host?: TS.CompilerHost,
  old?: PlainBuilder,
  configFileParsingDiagnostics?: readonly TS.Diagnostic[],
  projectReferences?: readonly TS.ProjectReference[],
) => PlainBuilder {
  return (rootNames, options, host, old, configFileParsingDiagnostics, projectReferences) => {
    const program = ts.createProgram({ rootNames: rootNames ?? [], options: options ?? {}, host, oldProgram: old?.getProgramOrUndefined(), configFileParsingDiagnostics, projectReferences });
    const resolving = program as TS.Program & ResolvingProgram;
    if (typeof resolving.getResolvedModule !== "function") {
      throw new Error(`TypeScript ${ts.version} has no Program.getResolvedModule (5.3 or newer has it); cells need the TypeScript package.json pins (reinstall with \`npm ci\`)`);
    }
    const getResolvedModule = resolving.getResolvedModule.bind(program);
    // binds every file at once, as the BuilderProgram did: completions need the parent links binding sets
    program.getTypeChecker();
    const localDependencies = (file: TS.SourceFile): string[] => {
      const seen = new Set<string>([file.fileName]);
      const queue = [file];
      while (queue.length > 0) {
        const current = queue.pop()!;
        const imports = (current as TS.SourceFile & { imports?: readonly TS.StringLiteralLike[] }).imports ?? [];
        for (const name of imports) {
          const resolved = getResolvedModule(current, name.text, ts.getModeForUsageLocation(current, name, program.getCompilerOptions()))?.resolvedModule;
          const target = resolved && program.getSourceFile(resolved.resolvedFileName);
          // declaration files are only read, never compiled: their imports are not followed
          if (!target || target.isDeclarationFile || seen.has(target.fileName)) continue;
          seen.add(target.fileName);
          queue.push(target);
        }
      }
      return [...seen];
    };
    return {
      getProgram: () => program,
      getProgramOrUndefined: () => program,
      releaseProgram: () => undefined,
      getCompilerOptions: () => program.getCompilerOptions(),
      getCurrentDirectory: () => program.getCurrentDirectory(),
      getSourceFile: (fileName) => program.getSourceFile(fileName),
      getSourceFiles: () => program.getSourceFiles(),
      getOptionsDiagnostics: () => program.getOptionsDiagnostics(),
      getGlobalDiagnostics: () => program.getGlobalDiagnostics(),
      getConfigFileParsingDiagnostics: () => program.getConfigFileParsingDiagnostics(),
      getSyntacticDiagnostics: (file) => program.getSyntacticDiagnostics(file),
      getSemanticDiagnostics: (file) => program.getSemanticDiagnostics(file),
      getDeclarationDiagnostics: (file) => program.getDeclarationDiagnostics(file),
      emit: (file, writeFile, cancellationToken, emitOnlyDts, transformers) => program.emit(file, writeFile, cancellationToken, emitOnlyDts, transformers),
      getAllDependencies: localDependencies,
      getState: () => ({ fileInfos: new Map(program.getSourceFiles().map((f) => [(f as TS.SourceFile & { path: string }).path, f])) }),
    };
  };
}
