// Which torch goes into the local managed environment, and how that choice keys the environment's folder.
import { describe, expect, it } from 'vitest';
import { environmentKey, type TrainerSource } from '../../../src/core/hosts/environment';
import { chooseTorchInstall, CPU_TORCH_INDEX, parseTorchPipArgs } from '../../../src/core/hosts/torchInstall';

const source = (requirements: string): TrainerSource => ({ files: new Map(), requirements: Buffer.from(requirements), version: '0.1.0' });

describe('the torch build for a managed environment', () => {
  it('is the CPU build from its own index when preflight found no NVIDIA driver', () => {
    const choice = chooseTorchInstall(null, null);
    expect(choice.pipArgs).toEqual(['torch', '--index-url', CPU_TORCH_INDEX]);
    expect(choice.description).toMatch(/CPU build.*no NVIDIA driver/);
  });

  it('is the CUDA build from PyPI when nvidia-smi reported a driver', () => {
    const choice = chooseTorchInstall('550.54.15', null);
    expect(choice.pipArgs).toEqual(['torch']);
    expect(choice.description).toMatch(/CUDA build.*550\.54\.15/);
  });

  it('is what BRIGHTRUN_TORCH_PIP_ARGS says, whatever the GPU', () => {
    const args = parseTorchPipArgs('  torch==2.4.1   --index-url https://download.pytorch.org/whl/cu121 ');
    expect(args).toEqual(['torch==2.4.1', '--index-url', 'https://download.pytorch.org/whl/cu121']);
    expect(chooseTorchInstall(null, args).pipArgs).toEqual(args);
    expect(chooseTorchInstall('550', args).description).toContain('pip install torch==2.4.1 --index-url');
  });

  it('treats an empty or blank variable as unset', () => {
    expect(parseTorchPipArgs(undefined)).toBeNull();
    expect(parseTorchPipArgs('')).toBeNull();
    expect(parseTorchPipArgs(' \t ')).toBeNull();
  });
});

describe('the environment key', () => {
  const base = source('torch>=2.1\npeft\n');

  it('changes with the requirements, the interpreter and the torch build', () => {
    const key = environmentKey(base, '/usr/bin/python3', false, ['torch']);
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(environmentKey(source('torch>=2.1\npeft\n# changed\n'), '/usr/bin/python3', false, ['torch'])).not.toBe(key);
    expect(environmentKey(base, '/opt/python3.12/bin/python3', false, ['torch'])).not.toBe(key);
    expect(environmentKey(base, '/usr/bin/python3', false, ['torch', '--index-url', CPU_TORCH_INDEX])).not.toBe(key);
    expect(environmentKey(base, '/usr/bin/python3', false, ['torch'])).toBe(key);
  });

  it('stays what it was for environments that install no torch first (SSH hosts keep theirs)', () => {
    // The key this input had before torch could be chosen: existing environments are found again.
    expect(environmentKey(base, 'python3', true)).toBe('abce9785dd9be289');
    expect(environmentKey(base, 'python3', true, [])).toBe('abce9785dd9be289');
    expect(environmentKey(base, 'python3', true, [])).not.toBe(environmentKey(base, 'python3', true, ['torch']));
  });
});
