import { escapeForTerminal } from './terminalText';

// Maps a subcommand name to its handler. Exit codes: 0 ok, 1 the command found problems, 2 bad usage or input.
export type CliCommand = {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
};

// Subcommands are loaded lazily so `brightrun validate` never pays for the SSH stack. A Map, not an object: a
// name typed by the user must never find an inherited property (`brightrun constructor`, `brightrun __proto__`).
const commands = new Map<string, () => Promise<CliCommand>>();

export function registerCommand(name: string, load: () => Promise<CliCommand>): void {
  commands.set(name, load);
}

function usage(): string {
  return ['usage: brightrun <command> [options]', '', 'commands:', ...[...commands.keys()].map((n) => `  ${n}`)].join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
  await import('./commands');
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const load = commands.get(name);
  if (!load) {
    console.error(`brightrun: unknown command '${escapeForTerminal(name)}'\n${usage()}`);
    return 2;
  }
  return (await load()).run(rest);
}
