// The only way the CLI ends: once stdout and stderr have handed everything to the operating system.
// process.exit() drops what a pipe has not taken yet, so `brightrun validate --json FILE | jq .` would get only
// the first 64 KiB of the document. process.exit is still called after the flush, because a command may leave
// handles open (an SSH connection being closed, a file watcher) that must not keep the process alive.

const streams = [process.stdout, process.stderr];

/** A reader that goes away (`brightrun logs RUN | head`) fails the pending writes with EPIPE: nothing more can be
 *  delivered, so the CLI stops there like any other Unix filter, instead of crashing on the unhandled error. */
export function stopWhenReaderGoes(): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
}

/** Resolves once every write queued on the stream so far has completed (or failed: the error is handled above). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) return resolve();
    // Writes complete in order, so the callback of an empty write runs after every earlier one has.
    stream.write('', () => resolve());
  });
}

export async function exitAfterDrain(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all(streams.map(flushed));
  process.exit(code);
}
