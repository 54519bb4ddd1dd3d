// `brightrun train --host NAME` reaching an SSH host from the command line: the host comes from hosts.json or
// ~/.ssh/config, an unknown host key is refused without a terminal (with what to do), and a preflight problem
// stops the launch with its explanation. HOME points at a temp folder so the user's own ~/.ssh is untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';

let sshd: TestSshd;
let home: string;
let configFile: string;

function brightrun(...args: string[]) {
  const r = spawnSync(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), resolve('src/cli/main.ts'), ...args], {
    env: { ...process.env, HOME: home, BRIGHTRUN_HOME: join(home, '.brightrun'), SSH_AUTH_SOCK: '' },
    encoding: 'utf8',
    input: '',
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  sshd = await startSshd();
  home = mkdtempSync(join(tmpdir(), 'brightrun-cli-home-'));
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'config'), readFileSync(sshd.sshConfig));
  const project = mkdtempSync(join(tmpdir(), 'brightrun-cli-project-'));
  writeFileSync(join(project, 'train.jsonl'), readFileSync(resolve('samples/chat-train.jsonl'), 'utf8').split('\n').slice(0, 10).join('\n') + '\n');
  mkdirSync(join(project, 'model'));
  configFile = join(project, 'run.brightrun.json');
  writeFileSync(configFile, JSON.stringify({ datasets: { train: 'train.jsonl' }, baseModel: join(project, 'model'), host: 'local', maxSeqLen: 64 }));
});
afterAll(async () => {
  await sshd?.stop();
});

describe.skipIf(missingParts({ sshd: sshdAvailable }))('brightrun train --host over SSH', { timeout: 120_000 }, () => {
  it('refuses an unknown host key when there is no terminal to ask on, and says what to do', () => {
    const r = brightrun('train', configFile, '--host', sshd.alias);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(`The authenticity of host '${sshd.alias}' ([127.0.0.1]:${sshd.port}) can't be established.`);
    expect(r.out).toMatch(/ssh-ed25519 key fingerprint is SHA256:/);
    expect(r.out).toContain(`connect once with \`ssh ${sshd.alias}\``);
    expect(r.out).toMatch(/was not accepted, so BrightRun did not connect/);
    expect(existsSync(join(home, '.ssh', 'known_hosts')) ? readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8') : '').toBe('');
  });

  it('uses hosts.json and stops at preflight with its explanation, before uploading anything', () => {
    writeFileSync(join(home, '.ssh', 'known_hosts'), knownHostsEntry(sshd));
    const workdir = mkdtempSync(join(tmpdir(), 'brightrun-cli-work-'));
    mkdirSync(join(home, '.brightrun'), { recursive: true });
    writeFileSync(
      join(home, '.brightrun', 'hosts.json'),
      JSON.stringify({ hosts: [{ name: 'box', sshAlias: sshd.alias, workdir, python: '/opt/no-python-here/bin/python3' }] }),
    );
    const r = brightrun('train', configFile, '--host', 'box');
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/box cannot run this training:\n {2}error: Python '\/opt\/no-python-here\/bin\/python3' was not found on box\./);
    expect(r.out).toMatch(/set the host's "python" setting/);
    expect(existsSync(join(workdir, 'datasets'))).toBe(false);
    expect(readdirSync(workdir)).not.toContain('runs');
  });

  it('explains a broken hosts.json', () => {
    writeFileSync(join(home, '.brightrun', 'hosts.json'), JSON.stringify({ hosts: [{ name: 'box' }] }));
    const r = brightrun('train', configFile, '--host', 'box');
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/Invalid host settings in .*hosts\.json:\n {2}hosts\.0\.host: An SSH host needs either "sshAlias"/);
  });
});
