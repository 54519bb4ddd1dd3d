// Maps a subcommand name to its handler. Exit codes: 0 ok, 1 the command found problems, 2 bad usage or input.
export type CliCommand = {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
};

// Subcommands are loaded lazily so `brightrun validate` never pays for the SSH stack.
const commands: Record<string, () => Promise<CliCommand>> = {};

export function registerCommand(name: string, load: () => Promise<CliCommand>): void {
  commands[name] = load;
}

function usage(): string {
  return ['usage: brightrun <command> [options]', '', 'commands:', ...Object.keys(commands).map((n) => `  ${n}`)].join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
  await import('./commands');
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`brightrun: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  return (await load()).run(rest);
}
