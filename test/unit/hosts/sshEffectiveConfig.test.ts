// Reading `ssh -G` output: what a config set, against what ssh prints for an empty config (its defaults).
// The outputs are shaped as OpenSSH 9 prints them: lower-case keywords, IdentityFile unexpanded, one line each.
import { describe, expect, it } from 'vitest';
import { parseEffectiveConfig } from '../../../src/core/hosts/sshEffectiveConfig';

const ctx = { homeDir: '/home/me', localUser: 'me', source: 'ssh -G' };

/** What `ssh -G -F /dev/null localhost` prints, the lines that matter. */
const DEFAULTS = [
  'host localhost',
  'user me',
  'hostname localhost',
  'port 22',
  'identitiesonly no',
  'stricthostkeychecking ask',
  'serveraliveinterval 0',
  'identityfile ~/.ssh/id_rsa',
  'identityfile ~/.ssh/id_ecdsa',
  'identityfile ~/.ssh/id_ecdsa_sk',
  'identityfile ~/.ssh/id_ed25519',
  'identityfile ~/.ssh/id_ed25519_sk',
  'identityfile ~/.ssh/id_xmss',
  'identityfile ~/.ssh/id_dsa',
  'userknownhostsfile /home/me/.ssh/known_hosts /home/me/.ssh/known_hosts2',
  'connecttimeout none',
  'canonicalizePermittedcnames none',
].join('\n');

/** An alias's output: the defaults with some lines replaced or added. */
function output(alias: string, lines: Record<string, string | string[]>): string {
  const replaced = new Set(Object.keys(lines));
  const kept = DEFAULTS.split('\n').filter((l) => !replaced.has(l.split(' ')[0]) && !/^(host|hostname) /.test(l));
  const added = Object.entries(lines).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((value) => `${k} ${value}`));
  return [`host ${alias}`, ...(lines.hostname ? [] : [`hostname ${alias}`]), ...kept, ...added].join('\n') + '\n';
}

describe('ssh -G output', () => {
  it('gives host, port, user and the identity files the config set, tokens and ~ expanded', () => {
    const text = output('gpu', { hostname: '10.0.0.5', user: 'ml', port: '2222', identityfile: ['~/.ssh/gpu_%h_%r_%p', '/keys/%n'], identitiesonly: 'yes' });
    expect(parseEffectiveConfig(text, DEFAULTS, 'gpu', ctx)).toMatchObject({
      alias: 'gpu',
      hostName: '10.0.0.5',
      user: 'ml',
      port: 2222,
      identityFiles: ['/home/me/.ssh/gpu_10.0.0.5_ml_2222', '/keys/gpu'],
      identitiesOnly: true,
    });
  });

  it('treats what ssh prints for an empty config as not set, so our own defaults apply', () => {
    expect(parseEffectiveConfig(output('box', {}), DEFAULTS, 'box', ctx)).toEqual({
      alias: 'box',
      hostName: 'box',
      user: 'me',
      port: 22,
      identityFiles: [],
      identitiesOnly: false,
      proxyJump: [],
      identityAgent: null,
      connectTimeoutS: null,
      serverAliveIntervalS: null,
      userKnownHostsFiles: [],
      strictHostKeyChecking: null,
    });
  });

  it('keeps one default key named on its own: it is not the default list', () => {
    const r = parseEffectiveConfig(output('box', { identityfile: '~/.ssh/id_ed25519' }), DEFAULTS, 'box', ctx);
    expect(r.identityFiles).toEqual(['/home/me/.ssh/id_ed25519']);
  });

  it('reads jump hosts, timings, known-hosts files, agent and host-key checking', () => {
    const text = output('gpu', {
      proxyjump: 'ops@bastion:2201,inner',
      connecttimeout: '7',
      serveraliveinterval: '30',
      userknownhostsfile: '/home/me/kh /etc/kh2',
      identityagent: '/run/agent.sock',
      stricthostkeychecking: 'true',
    });
    expect(parseEffectiveConfig(text, DEFAULTS, 'gpu', ctx)).toMatchObject({
      proxyJump: ['ops@bastion:2201', 'inner'],
      connectTimeoutS: 7,
      serverAliveIntervalS: 30,
      userKnownHostsFiles: ['/home/me/kh', '/etc/kh2'],
      identityAgent: '/run/agent.sock',
      strictHostKeyChecking: 'yes',
    });
    expect(parseEffectiveConfig(output('g', { identityagent: 'SSH_AUTH_SOCK', stricthostkeychecking: 'false' }), DEFAULTS, 'g', ctx)).toMatchObject({
      identityAgent: null,
      strictHostKeyChecking: 'no',
    });
  });

  it('keeps a value with spaces whole and drops IdentityFile none', () => {
    const r = parseEffectiveConfig(output('q', { identityfile: ['/tmp/my key', 'none'] }), DEFAULTS, 'q', ctx);
    expect(r.identityFiles).toEqual(['/tmp/my key']);
  });

  it('says what is wrong with output it cannot use', () => {
    expect(() => parseEffectiveConfig('', DEFAULTS, 'gpu', ctx)).toThrow(/ssh -G printed no hostname for 'gpu'/);
    expect(() => parseEffectiveConfig(output('gpu', { port: '99999' }), DEFAULTS, 'gpu', ctx)).toThrow(
      /Invalid port '99999' in the ssh config for 'gpu' \(ssh -G\)/,
    );
  });
});
