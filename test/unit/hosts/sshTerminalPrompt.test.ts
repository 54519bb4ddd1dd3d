// The CLI's host key question: without a terminal it refuses and says how to trust the host instead.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { terminalVerifyHostKey } from '../../../src/platform/sshTerminalPrompt';

describe('terminal host key prompt', () => {
  it('refuses when there is no terminal, showing the fingerprint and what to do', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.on('data', (d: Buffer) => (written += d.toString()));
    const verify = terminalVerifyHostKey(input, output);
    const accepted = await verify({ label: 'gpu', host: '10.0.0.5', port: 2222, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc', knownTypes: [] });
    expect(accepted).toBe(false);
    expect(written).toContain("The authenticity of host 'gpu' ([10.0.0.5]:2222) can't be established.");
    expect(written).toContain('ssh-ed25519 key fingerprint is SHA256:abc.');
    expect(written).toMatch(/connect once with `ssh gpu`/);
  });
});
