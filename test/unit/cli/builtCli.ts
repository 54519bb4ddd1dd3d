// Runs the built CLI (dist/cli.js, made by `npm run build`) as a child process whose stdout is read by a
// consumer slower than the writer, the way `brightrun validate --json FILE | jq .` reads it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const builtCli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

export function requireBuiltCli(): void {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run \`npm run build\` before the unit tests`);
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export async function runBuiltCliSlowlyRead(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  const child = spawn(process.execPath, [builtCli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const stdout: Buffer[] = [];
  for await (const chunk of child.stdout) {
    stdout.push(chunk as Buffer);
    // Reading one pipe-full at a time, with a pause between: the writer is always ahead of the reader.
    await sleep(5);
  }
  return { status: await exited, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}
