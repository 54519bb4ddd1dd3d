// Run ids are generated here and only here: never taken from user input, so they are always safe as a folder
// name on any host. Sorting them sorts runs by start time.
import { randomBytes } from 'node:crypto';

export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{6}$/;

export function newRunId(now: Date = new Date(), random: () => Buffer = () => randomBytes(3)): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${date}-${time}-${random().toString('hex').slice(0, 6)}`;
}

export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}
