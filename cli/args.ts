/**
 * The command-line plumbing of every `workbook` subcommand: options parsed by Node's
 * `util.parseArgs` (`--key value` and `--key=value` alike), one error prefix
 * ("workbook grade: unknown option --foo; see workbook grade --help"), `-h`/`--help`, and the
 * exit codes all subcommands share.
 */
import { parseArgs } from "node:util";

/** Exit codes shared by every subcommand. */
export const EXIT = {
  /** Everything ran and passed. */
  ok: 0,
  /** The work failed: a cell, a notebook, a check, a sandbox. */
  failed: 1,
  /** The command line was wrong (nothing was done). */
  usage: 2,
  /** Interrupted by Ctrl-C (what finished is kept). */
  interrupted: 130,
} as const;

/** One option: `string` takes a value, `boolean` is a flag; `short` is its one-letter alias. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
}

/** The options a command takes, by long name without the dashes (e.g. `"timeout-cell"`). */
export type OptionSpecs = Record<string, OptionSpec>;

/** The values parsed for `O`: a string for a given string option, `true` for a given flag. */
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: O[K]["type"] extends "string" ? string : boolean };

/** What {@link parseCommandLine} returns. */
export interface CommandLine<O extends OptionSpecs> {
  values: OptionValues<O>;
  positionals: string[];
  /** The long names of the options in the order given (the last of exclusive flags wins). */
  order: (keyof O & string)[];
}

/** A mistake in the command line; {@link runCommand} prints its message and exits with 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * A {@link UsageError} with the command's prefix: `workbook <command>: <problem>`; option errors
 * add "; see workbook <command> --help".
 *
 * @example
 * throw usageError("run", 'name at least one notebook, e.g. "workbook run notebooks/01-adam.ipynb".');
 */
export function usageError(command: string, problem: string): UsageError {
  return new UsageError(`workbook ${command}: ${problem}`);
}

/** True when the arguments ask for help (`-h` or `--help` anywhere before a `--`). */
export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  const options = end === -1 ? args : args.slice(0, end);
  return options.includes("--help") || options.includes("-h");
}

/**
 * Joins `--name value` into `--name=value` for string options, so that a value may start with a
 * single dash (`--timeout -5` is then refused by the number check with the value named, as
 * before); a following argument that starts with "--" is never taken as a value.
 */
function joinValues(args: string[], options: OptionSpecs): string[] {
  const joined: string[] = [];
  const long = (arg: string): string | undefined => {
    if (arg.startsWith("--")) return options[arg.slice(2)]?.type === "string" ? arg.slice(2) : undefined;
    return Object.keys(options).find((name) => options[name].type === "string" && arg === `-${options[name].short}`);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      joined.push(...args.slice(i));
      break;
    }
    const name = long(arg);
    const next = args[i + 1];
    if (name !== undefined && next !== undefined && next.startsWith("-") && !next.startsWith("--")) {
      joined.push(`--${name}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/** The option or argument a parseArgs error message quotes ('--foo', '-x', '--out <value>'). */
function quoted(message: string): string {
  const match = /'([^']*)'/.exec(message);
  const named = match ? match[1].replace(/ <value>$/, "") : "";
  // "-o, --output": name the long form, as the help text does
  return named.includes(", ") ? named.split(", ")[1] : named;
}

/**
 * Parses `args` against `options` with `util.parseArgs` (strict), positionals allowed unless
 * `maxPositionals` is 0. Mistakes throw a {@link UsageError} that names the command, the option
 * and where to look: "workbook grade: unknown option --jobz; see workbook grade --help".
 *
 * @example
 * const { values, positionals } = parseCommandLine("run", ["a.ipynb", "--out=x"], { out: { type: "string" } });
 * values.out; // "x"
 * positionals; // ["a.ipynb"]
 */
export function parseCommandLine<O extends OptionSpecs>(command: string, args: string[], options: O, maxPositionals = Infinity): CommandLine<O> {
  const see = `; see workbook ${command} --help`;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: joinValues(args, options), options, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    const { code, message } = err as { code?: string; message: string };
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw usageError(command, `unknown option ${quoted(message)}${see}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && /does not take an argument/.test(message)) throw usageError(command, `option ${quoted(message)} takes no value${see}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw usageError(command, `option ${quoted(message)} needs a value${see}`);
    throw err;
  }
  const { values, positionals, tokens = [] } = parsed;
  if (positionals.length > maxPositionals) {
    throw usageError(command, `unexpected argument "${positionals[maxPositionals]}"${see}`);
  }
  const order = tokens.flatMap((token) => (token.kind === "option" ? [token.name as keyof O & string] : []));
  return { values: { ...values } as OptionValues<O>, positionals, order };
}

/**
 * `option`'s value as a number greater than 0, or a {@link UsageError} that names it.
 *
 * @example
 * positiveNumber("run", "--timeout-cell", "2.5"); // 2.5
 */
export function positiveNumber(command: string, option: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw usageError(command, `${option} must be a positive number, got "${text}"`);
  return value;
}

/**
 * Runs a subcommand's body the way every `workbook` subcommand runs: `-h`/`--help` prints `usage`
 * (exit 0); a {@link UsageError} is printed and exits 2; other errors reach `bin/workbook`,
 * which prints "workbook: <message>" and exits 1.
 *
 * @example
 * export const main = (args: string[]) => runCommand(USAGE, args, async () => { ...; return EXIT.ok; });
 */
export async function runCommand(usage: string, args: string[], body: () => Promise<number>): Promise<number> {
  if (wantsHelp(args)) {
    console.log(usage);
    return EXIT.ok;
  }
  try {
    return await body();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(err.message);
    return EXIT.usage;
  }
}
