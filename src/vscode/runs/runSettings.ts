// The run settings' reader lives in ../settings.ts, with every other `brightrun.*` setting.
export { readRunSettings, type ConfigSource, type RunSettings } from '../settings';
