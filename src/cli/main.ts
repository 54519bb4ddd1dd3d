#!/usr/bin/env node
// The `brightrun` command line: the same core as the extension, for scripts and CI.
// Each subcommand lives in its own module and returns the process exit code.
import { runCli } from './dispatch';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`brightrun: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
