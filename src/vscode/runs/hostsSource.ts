// The hosts the launch form offers (local and the `brightrun.hosts` entries) with their last preflight.
import type { HostEntry, PreflightView } from '../../shared/launchProtocol';
import { preflightViewFromReport } from './preflightView';
import type { RunsPort } from './runsPort';
import type { RunSettings } from '../settings';

export class HostsSource {
  private readonly preflights = new Map<string, PreflightView>();

  constructor(
    private readonly settings: () => RunSettings,
    private readonly runs: Pick<RunsPort, 'preflight' | 'listModels'>,
  ) {}

  list(): HostEntry[] {
    const settings = this.settings();
    const local: HostEntry = {
      name: 'local',
      kind: 'local',
      detail: 'this machine',
      pricePerGpuHour: settings.defaultPricePerGpuHour,
      preflight: this.preflights.get('local') ?? null,
    };
    return [
      local,
      ...settings.hosts.map((host) => ({
        name: host.name,
        kind: host.kind,
        detail: host.sshAlias
          ? `${host.sshAlias} (~/.ssh/config)`
          : `${host.user ? `${host.user}@` : ''}${host.host ?? host.name}${host.port ? `:${host.port}` : ''}`,
        pricePerGpuHour: host.pricePerGpuHour ?? settings.defaultPricePerGpuHour,
        preflight: this.preflights.get(host.name) ?? null,
      })),
    ];
  }

  gpuOf(hostName: string): string | undefined {
    const preflight = this.preflights.get(hostName);
    if (!preflight) return undefined;
    return preflight.gpus[0]?.name ?? 'cpu';
  }

  /** The trainer's `list-models` on this machine (SSH hosts would need their environment set up first). */
  listModels(projectDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return this.runs.listModels('local', projectDir);
  }

  async preflight(hostName: string): Promise<PreflightView> {
    const view = preflightViewFromReport(await this.runs.preflight(hostName), new Date().toISOString());
    this.preflights.set(hostName, view);
    return view;
  }
}
