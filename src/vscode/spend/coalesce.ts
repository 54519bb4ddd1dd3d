// Run changes arrive with every batch of a running run's events (several a second while runs train): the spend
// is recomputed once for all the changes of a short while, not once per event.

export interface Coalescer {
  /** Asks for a run of the function; calls made while one is pending are folded into it. */
  request(): void;
  dispose(): void;
}

export type CoalesceFactory = (run: () => void) => Coalescer;

/** Runs the function once, `delayMs` after the first request since the last run. */
export function coalesceAfter(delayMs: number): CoalesceFactory {
  return (run) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return {
      request() {
        timer ??= setTimeout(() => {
          timer = undefined;
          run();
        }, delayMs);
      },
      dispose() {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      },
    };
  };
}

/** Calls `refresh` once a minute, so a month's running spend moves on while nothing else changes. */
export function everyMinute(refresh: () => void): { dispose(): void } {
  const timer = setInterval(refresh, 60_000);
  return { dispose: () => clearInterval(timer) };
}
