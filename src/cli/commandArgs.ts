// Reading a command's arguments with node:util parseArgs, from the options its table entry declares (commands.ts).
// parseArgs' own messages span several lines and speak of "positional arguments": they are turned into one
// line in the words our usage errors use.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad usage: the command prints the message and its usage line, and exits 2. */
export class UsageError extends Error {}

export interface OptionSpec {
  /** Long name without the dashes: `max-seq-len` is given as `--max-seq-len`. */
  name: string;
  /** One-letter alias: `f` is given as `-f`. */
  short?: string;
  /** What the value is, shown in help (`N`, `FILE`); absent for a flag, which takes no value. */
  value?: string;
  /** The option may be given several times; every value is kept. */
  multiple?: boolean;
  description: string;
}

export interface CommandArgs {
  positionals: string[];
  flag(name: string): boolean;
  value(name: string): string | undefined;
  values(name: string): string[];
}

/** What a command module exports as `run`: the exit code for the parsed arguments. Declared here, not beside the
 *  table of commands, so a command module never imports the table that loads it. */
export type CommandHandler = (args: CommandArgs) => Promise<number>;

/** The `--help`/`-h` every command has; declared once here, so help lists it and parsing accepts it. */
export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', description: 'show this help' };

function parseConfig(options: readonly OptionSpec[]): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    [...options, HELP_OPTION].map(
      (o) =>
        [
          o.name,
          { type: o.value === undefined ? 'boolean' : 'string', ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
        ] as const,
    ),
  );
}

/** The option named in parseArgs' message (`'--bogus'`, `'-x'`; `'-f, --follow'` gives the long name). */
function quotedOption(message: string): string {
  return /'(?:-\w, )?(-[^' ,]+)/.exec(message)?.[1] ?? 'an option';
}

function usageMessage(error: Error & { code?: string }): string {
  const option = quotedOption(error.message);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (/does not take an argument/.test(error.message)) return `${option} takes no value`;
  if (/argument missing/.test(error.message)) return `${option} needs a value`;
  if (/ambiguous/.test(error.message)) return `${option} needs a value (one that starts with '-' is written ${option}=-...)`;
  return error.message.split('\n')[0];
}

export function parseCommandArgs(argv: readonly string[], options: readonly OptionSpec[]): CommandArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: parseConfig(options), allowPositionals: true, strict: true });
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError(usageMessage(error as Error));
    throw error;
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  return {
    positionals: parsed.positionals,
    flag: (name) => values[name] === true,
    value: (name) => {
      const v = values[name];
      return typeof v === 'string' ? v : undefined;
    },
    values: (name) => {
      const v = values[name];
      return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
    },
  };
}
