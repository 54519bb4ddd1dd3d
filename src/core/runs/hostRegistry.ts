// Maps a host name from a run config to a ready Host. 'local' is built in; SSH names go to a factory the
// composition root injects, so core never imports the platform code that talks SSH.
import type { Host } from '../hosts/host';
import type { LocalPaths } from '../config/resolveConfig';
import type { TrainerRuntime } from './runLauncher';
import type { TrainerConfig } from '../../contracts/trainerConfig';

export interface HostSession {
  readonly host: Host;
  /** The Python and environment that start the trainer on this host (set up once, e.g. a virtualenv). */
  runtime(): Promise<TrainerRuntime>;
  /** Puts a run's inputs (datasets, a local base model) where the trainer can read them; returns their paths
   *  on the host. The local host returns them unchanged; SSH uploads them. */
  stage(paths: LocalPaths, onProgress?: (message: string) => void): Promise<LocalPaths>;
  /** Hourly price of one GPU on this host, when known: a setting, or (SSH hosts, once stage() ran the preflight)
   *  the GPU table's default for the detected GPU. Read after stage(). */
  readonly pricePerGpuHour?: number;
  /** The detected GPU's label when pricePerGpuHour is the table's default rather than a setting. */
  readonly priceFromGpu?: string | null;
  /** GPUs a run here trains on when the host decides it (a Slurm host: nodes x GPUs per node, the run's own
   *  when its config sets them); the cost multiplies by it. Absent: the run config's `gpus`. */
  gpusPerRun?(config: TrainerConfig): number;
}

export type HostSessionFactory = (name: string) => Promise<HostSession>;

export const LOCAL_HOST = 'local';

export class HostRegistry {
  private readonly sessions = new Map<string, Promise<HostSession>>();

  constructor(private readonly factories: { local: HostSessionFactory; remote?: HostSessionFactory }) {}

  get(name: string): Promise<HostSession> {
    let session = this.sessions.get(name);
    if (!session) {
      const factory = name === LOCAL_HOST ? this.factories.local : this.factories.remote;
      if (!factory) {
        return Promise.reject(new Error(`host '${name}' is not available here: only 'local' is configured (SSH hosts need the SSH support)`));
      }
      session = factory(name);
      // A failed connection is not cached: the next call tries again.
      session.catch(() => this.sessions.delete(name));
      this.sessions.set(name, session);
    }
    return session;
  }

  dispose(): void {
    for (const session of this.sessions.values())
      session.then(
        (s) => s.host.dispose(),
        () => {},
      );
    this.sessions.clear();
  }
}
