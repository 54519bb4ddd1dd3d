// The list of subcommands. One line per command; each module exports `command: CliCommand`.
import { registerCommand } from './dispatch';

void registerCommand;
registerCommand('validate', async () => (await import('./validate')).command);
