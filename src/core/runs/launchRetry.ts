// A connection lost while a run is being launched (preflight, environment build, upload, writing the run folder) is
// retried with backoff, as one lost while following is, instead of failing the launch. Only steps that are safe to
// repeat are retried: uploads resume and are checked by hash, the environment is keyed by its requirements, and the
// run folder is written again only while no trainer was started in it.

/** Waits between tries; with the connection's own reconnect backoff (about 8 s) a host may be away ~2 minutes. */
export const LAUNCH_RETRY_DELAYS_MS = [2000, 4000, 8000, 15_000, 30_000];

/** Errors of a link that dropped or cannot be reached right now carry `retryable: true` (SshError does); refusals
 *  (a wrong key, a changed host key) and the host's own answers do not. */
export function isConnectionLost(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;
}

export async function retryOnLostConnection<T>(
  what: string,
  step: () => Promise<T>,
  onRetry: (message: string) => void,
  delaysMs: readonly number[] = LAUNCH_RETRY_DELAYS_MS,
): Promise<T> {
  for (let tried = 0; ; tried++) {
    try {
      return await step();
    } catch (error) {
      const delay = delaysMs[tried];
      if (!isConnectionLost(error) || delay === undefined) throw error;
      const why = error instanceof Error ? error.message : String(error);
      onRetry(`${what}: ${why} Trying again in ${Math.round(delay / 1000)} s (${tried + 1} of ${delaysMs.length}).`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
