// Help texts, derived from the command table: `brightrun --help` (one line per command) and
// `brightrun COMMAND --help` (usage, every option, examples).
import { HELP_OPTION, type OptionSpec } from './commandArgs';
import type { CliCommand } from './commands';

const WIDTH = 100;

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

/** `name  text` rows with the texts aligned in one column and wrapped under it. */
function columns(rows: [string, string][]): string[] {
  const left = Math.max(...rows.map(([name]) => name.length)) + 2;
  return rows.flatMap(([name, text]) =>
    wrap(text, Math.max(40, WIDTH - 2 - left)).map((part, i) => `  ${(i === 0 ? name : '').padEnd(left)}${part}`.trimEnd()),
  );
}

function optionName(option: OptionSpec): string {
  const long = `--${option.name}${option.value ? ` ${option.value}` : ''}`;
  return option.short ? `-${option.short}, ${long}` : `    ${long}`;
}

export function usageLine(command: CliCommand): string {
  return `usage: brightrun ${command.name} ${command.usage}`;
}

export function commandHelp(command: CliCommand): string {
  return [
    `brightrun ${command.name}: ${command.summary}`,
    '',
    usageLine(command),
    '',
    'options:',
    ...columns([...command.options, HELP_OPTION].map((o) => [optionName(o), o.description])),
    '',
    command.examples.length > 1 ? 'examples:' : 'example:',
    ...command.examples.map((e) => `  ${e}`),
  ].join('\n');
}

export function mainHelp(commands: readonly CliCommand[], version: string): string {
  return [
    `brightrun ${version}: LoRA fine-tuning from the command line (the engine of the BrightRun VS Code extension)`,
    '',
    'usage: brightrun COMMAND [options]',
    '',
    'commands:',
    ...columns(commands.map((c) => [c.name, c.summary])),
    '',
    'Run `brightrun COMMAND --help` for its options and an example; `brightrun --version` prints the version.',
    'Exit status: 0 ok, 1 the command found problems (data errors, a failed run or gate), 2 bad usage or input.',
  ].join('\n');
}
