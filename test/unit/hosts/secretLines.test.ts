import { describe, expect, it } from 'vitest';
import { secretLines, spawnDetachedCommand } from '../../../src/core/hosts/remoteCommands';

describe('secrets for a detached process on an SSH host', () => {
  it('go on stdin, one line each, and the command only names them', () => {
    const secrets = secretLines({ WANDB_API_KEY: 'k3y', OTHER: 'v' });
    expect(secrets).toEqual({ names: ['WANDB_API_KEY', 'OTHER'], input: 'k3y\nv\n' });
    const command = spawnDetachedCommand(['python'], { cwd: '/r', logFile: '/r/log', secretNames: secrets.names });
    expect(command).toContain('IFS= read -r WANDB_API_KEY || exit 95; export WANDB_API_KEY');
    expect(command).not.toContain('k3y');
  });

  it('are nothing at all when there are none', () => {
    expect(secretLines(undefined)).toEqual({ names: [], input: undefined });
    expect(spawnDetachedCommand(['python'], { cwd: '/r', logFile: '/r/log' })).not.toContain('read');
  });

  it('refuse a value with a line break and a name that is not a variable name', () => {
    expect(() => secretLines({ WANDB_API_KEY: 'a\nb' })).toThrow(/line break/);
    expect(() => secretLines({ 'A;rm': 'x' })).toThrow(/Invalid environment variable name/);
  });
});
