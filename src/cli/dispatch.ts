// From the command line to a handler, through the table in commands.ts. Exit codes: 0 ok, 1 the command found
// problems, 2 bad usage or input.
import { version } from '../../package.json';
import { parseCommandArgs, UsageError, type CommandArgs } from './commandArgs';
import { COMMANDS, type CliCommand } from './commands';
import { commandHelp, mainHelp, usageLine } from './helpText';
import { escapeForTerminal as shown } from './terminalText';

// Looked up by comparing names, never by indexing an object: a name typed by the user must never find an
// inherited property (`brightrun constructor`, `brightrun __proto__`).
function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function checkOperands(command: CliCommand, args: CommandArgs): void {
  const { min, max, missing } = command.operands;
  if (args.positionals.length < min) throw new UsageError(missing);
  if (args.positionals.length > max) {
    const extra = args.positionals[max];
    throw new UsageError(max === 0 ? `takes no operand, got '${extra}'` : `unexpected extra argument '${extra}'`);
  }
}

async function runCommand(command: CliCommand, argv: string[]): Promise<number> {
  try {
    const args = parseCommandArgs(argv, command.options);
    if (args.flag('help')) {
      console.log(commandHelp(command));
      return 0;
    }
    checkOperands(command, args);
    const handler = await command.load();
    return await handler(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`brightrun ${command.name}: ${shown(error.message)}\n${usageLine(command)}\nTry 'brightrun ${command.name} --help' for more.`);
    return 2;
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    if (rest[0] === undefined) console.log(mainHelp(COMMANDS, version));
    else return runCli([rest[0], '--help']); // `brightrun help train` is `brightrun train --help`
    return 0;
  }
  if (name === '--version' || name === '-V') {
    console.log(version);
    return 0;
  }
  if (name === undefined) {
    console.error(mainHelp(COMMANDS, version));
    return 2;
  }
  const command = findCommand(name);
  if (!command) {
    console.error(`brightrun: unknown command '${shown(name)}' (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see brightrun --help)`);
    return 2;
  }
  return runCommand(command, rest);
}
