// How to start Python with the trainer package on a host: what the launcher and the host's queue commands share.

/** How to start the trainer on a host: its Python and the environment that makes the package importable. */
export interface TrainerRuntime {
  python: string;
  /** At least PYTHONPATH pointing at the folder that holds brightrun_trainer/. */
  env: Record<string, string>;
  /** Secrets for the trainer (WANDB_API_KEY from the editor's secret storage): given to the trainer's process
   *  only, through Host.spawnDetached's secretEnv, never in a command line (`env` goes into SSH command lines). */
  secretEnv?: Record<string, string>;
  /** The host setting maxConcurrentRuns: at most this many runs at once (absent: decided by free GPUs, see
   *  python/brightrun_trainer/host_queue.py). */
  maxConcurrentRuns?: number;
  /** Where this host's queue.json lives when it is not the work directory: on the local machine, one folder that
   *  the editor's and the command line's runs share, whatever work directory each one writes runs to. */
  queueDir?: string;
}
