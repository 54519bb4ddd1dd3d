// Typed reader for the run-related settings (`brightrun.pythonPath`, `brightrun.hosts`, `brightrun.localWorkdir`,
// `brightrun.defaultPricePerGpuHour`). Takes anything with get(section), so it is unit-tested without an editor;
// bad values fall back to defaults and are reported in words, never thrown.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseHostsList, type HostSettings } from '../../core/hosts/hostSettings';

export interface ConfigSource {
  get<T>(section: string): T | undefined;
}

export interface RunSettings {
  /** The user's own Python for local runs, used as it is; '' = the managed environment (built once, reused). */
  pythonPath: string;
  localWorkdir: string;
  defaultPricePerGpuHour: number | null;
  hosts: HostSettings[];
}

export function readRunSettings(source: ConfigSource, home = homedir()): { settings: RunSettings; problems: string[] } {
  const problems: string[] = [];
  const text = (key: string) => {
    const value = source.get<unknown>(key);
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') {
      problems.push(`brightrun.${key} must be a string; ignoring it.`);
      return '';
    }
    return value.trim().replace(/^~(?=\/|$)/, home);
  };
  const price = source.get<unknown>('defaultPricePerGpuHour');
  let defaultPricePerGpuHour: number | null = null;
  if (typeof price === 'number' && Number.isFinite(price) && price >= 0) defaultPricePerGpuHour = price;
  else if (price !== undefined && price !== null) problems.push('brightrun.defaultPricePerGpuHour must be a number of USD (0 or more); ignoring it.');

  let hosts: HostSettings[] = [];
  const rawHosts = source.get<unknown>('hosts');
  if (rawHosts !== undefined && rawHosts !== null) {
    try {
      hosts = parseHostsList(rawHosts, 'the brightrun.hosts setting').filter((host) => host.name !== 'local');
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return {
    settings: {
      pythonPath: text('pythonPath'),
      localWorkdir: text('localWorkdir') || join(home, '.brightrun'),
      defaultPricePerGpuHour,
      hosts,
    },
    problems,
  };
}
