// Hosts whose users log in with fish or tcsh: sshd runs every command through the login shell, whose quoting is
// not POSIX. Against a real sshd and real users with those shells, everything BrightRun does over SSH (commands
// with hostile arguments, working directory and environment, uploads and downloads checked by sha256, a
// detached process with its log followed by tail, signalled and polled) must treat hostile names as data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { HostSettings } from '../../src/core/hosts/hostSettings';
import { SshHost } from '../../src/platform/sshHost';
import { canAddUsers, knownHostsEntry, loginShellUser, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';
import { HOSTILE_ARGS, HOSTILE_NAME } from './helpers/hostileNames';
import { missingParts } from '../realParts';

const SHELLS = ['/usr/bin/fish', '/usr/bin/tcsh'];
const PARTS = {
  sshd: sshdAvailable,
  'root (to add users whose login shell is fish or tcsh)': canAddUsers,
  ...Object.fromEntries(SHELLS.map((s) => [s, existsSync(s)])),
};
const INSTALL = 'bash scripts/setup.sh --system';

let sshd: TestSshd;

beforeAll(async () => {
  if (!Object.values(PARTS).every(Boolean)) return;
  sshd = await startSshd();
  writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
});
afterAll(async () => {
  await sshd?.stop();
});

const until = async (check: () => Promise<boolean> | boolean, what: string, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

for (const shell of SHELLS) {
  describe.skipIf(missingParts(PARTS, INSTALL))(`a host whose login shell is ${basename(shell)}`, { timeout: 60_000 }, () => {
    let host: SshHost;
    let home: string;
    /** This run's folder in the user's home (the users outlive a test run), and the hostile one inside it. */
    const base = `brightrun-test-${process.pid}-${Date.now()}`;
    let local: string;
    let dir: string;

    beforeAll(async () => {
      const user = loginShellUser(sshd, shell);
      const settings = HostSettings.parse({
        name: `${basename(shell)}-box`,
        host: '127.0.0.1',
        port: sshd.port,
        user,
        identityFile: sshd.clientKey,
        workdir: `~/${base}/${HOSTILE_NAME}`,
      });
      host = new SshHost(settings, { knownHostsFiles: [sshd.knownHosts], agentSocket: null, sshConfigPath: join(sshd.dir, 'no-config') });
      home = await host.resolvePath('~');
      dir = `${host.workdir}/${HOSTILE_NAME}`;
      local = join(home, base, HOSTILE_NAME, HOSTILE_NAME);
      await host.mkdirp(dir);
    });
    afterAll(() => {
      host?.dispose();
      if (home) rmSync(join(home, base), { recursive: true, force: true });
    });

    it('logs in through that shell', async () => {
      const r = await host.exec(['printenv', 'SHELL']);
      expect(r.stdout.trim()).toBe(shell);
    });

    it('runs commands with hostile arguments, working directory and environment as data', async () => {
      const r = await host.exec(['sh', '-c', 'printf "[%s]\\n" "$@"; printf "<%s>" "$VALUE"; printf "{%s}" "$(basename "$PWD")"', 'sh', ...HOSTILE_ARGS], {
        cwd: dir,
        env: { VALUE: HOSTILE_NAME },
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${HOSTILE_ARGS.map((a) => `[${a}]\n`).join('')}<${HOSTILE_NAME}>{${HOSTILE_NAME}}`);
      expect(existsSync(join(home, 'pwned'))).toBe(false);
      expect(existsSync(join(local, 'pwned'))).toBe(false);
    });

    it('uploads and downloads files with hostile names, checked by sha256 on the host', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'brightrun-shells-')), HOSTILE_NAME);
      writeFileSync(file, `payload for ${shell}\n`.repeat(1000));
      const remote = `${dir}/${HOSTILE_NAME}.jsonl`;
      await host.upload(file, remote);
      expect(readFileSync(join(local, `${HOSTILE_NAME}.jsonl`), 'utf8')).toBe(readFileSync(file, 'utf8'));
      const back = `${file}.back`;
      await host.download(remote, back);
      expect(readFileSync(back, 'utf8')).toBe(readFileSync(file, 'utf8'));
    });

    it('starts a detached process, follows its log, signals its group and sees it end', async () => {
      const logFile = `${dir}/${HOSTILE_NAME}.log`;
      const proc = await host.spawnDetached(['sh', '-c', 'printf "started %s\\n" "$VALUE"; exec sleep 60'], {
        cwd: dir,
        logFile,
        env: { VALUE: HOSTILE_NAME },
      });
      expect(proc.pgid).toBe(proc.pid);
      expect(await host.isAlive(proc.pid)).toBe(true);
      let seen = '';
      const watch = host.watchFile(
        logFile,
        0,
        (chunk) => (seen += chunk.toString('utf8')),
        (error) => {
          throw error;
        },
      );
      try {
        const line = `started ${HOSTILE_NAME}\n`;
        await until(() => seen.length >= line.length, 'the log line through tail');
        expect(seen).toBe(line);
      } finally {
        watch.dispose();
      }
      expect(await host.signalGroup(proc.pgid, 'SIGTERM')).toBe(true);
      await until(async () => !(await host.isAlive(proc.pid)), 'the process to end');
      expect(await host.signalGroup(proc.pgid, 'SIGTERM')).toBe(false);
    });
  });
}
