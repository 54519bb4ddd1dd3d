#!/usr/bin/env node
// The `brightrun` command line: the same core as the extension, for scripts and CI.
// Each subcommand lives in its own module and returns the process exit code; every path out ends in
// exitAfterDrain, so output piped to a slow reader is never cut short.
import { runCli } from './dispatch';
import { exitAfterDrain, stopWhenReaderGoes } from './exit';
import { escapeLinesForTerminal } from './terminalText';

stopWhenReaderGoes();

runCli(process.argv.slice(2)).then(
  (code) => exitAfterDrain(code),
  (error: unknown) => {
    console.error(`brightrun: ${escapeLinesForTerminal(error instanceof Error ? error.message : String(error))}`);
    return exitAfterDrain(2);
  },
);
