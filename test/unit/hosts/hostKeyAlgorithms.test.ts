// The host key algorithms offered to a server put the types known_hosts already holds for it first; key types
// are text from the file, so a type named like an Object.prototype member is just an unknown type.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preferredHostKeyAlgorithms } from '../../../src/platform/sshHostKeys';

function knownHosts(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'br-known-')), 'known_hosts');
  writeFileSync(file, text);
  return file;
}

describe('preferredHostKeyAlgorithms', () => {
  it('offers the known key type first', () => {
    const algorithms = preferredHostKeyAlgorithms([knownHosts('box ssh-rsa AAAA\n')], 'box', 22);
    expect(algorithms.slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });

  it('treats key types named constructor, __proto__ or toString as unknown, offering only algorithm names', () => {
    const plain = preferredHostKeyAlgorithms([], 'box', 22);
    const file = knownHosts('box constructor AAAA\nbox __proto__ AAAA\nbox toString AAAA\n');
    const algorithms = preferredHostKeyAlgorithms([file], 'box', 22);
    expect(algorithms).toEqual(plain);
    expect(algorithms.every((a) => typeof a === 'string')).toBe(true);
  });
});
