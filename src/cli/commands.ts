// The list of subcommands. One line per command; each module exports `command: CliCommand`.
import { registerCommand } from './dispatch';

void registerCommand;
registerCommand('validate', async () => (await import('./validate')).command);
registerCommand('train', async () => (await import('./train')).command);
registerCommand('runs', async () => (await import('./runs')).command);
registerCommand('logs', async () => (await import('./logs')).command);
registerCommand('cancel', async () => (await import('./cancel')).command);
registerCommand('resume', async () => (await import('./resume')).command);
registerCommand('eval', async () => (await import('./eval')).command);
