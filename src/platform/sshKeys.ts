// Client credentials for ssh2: the private keys to offer (IdentityFile or OpenSSH's default key names) and
// the ssh-agent. Keys that cannot be used (encrypted, unreadable) are reported, not silently dropped.
import { readFileSync } from 'node:fs';
import { utils, type AuthenticationType } from 'ssh2';
import { SshError } from './sshErrors';
import type { SshTarget } from './sshTarget';

type AuthMethod = Exclude<AuthenticationType, string>;

export function authMethods(t: SshTarget): AuthMethod[] {
  const methods: AuthMethod[] = [];
  const problems: string[] = [];
  for (const file of t.identityFiles) {
    let text: Buffer;
    try {
      text = readFileSync(file);
    } catch (error) {
      problems.push(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message}`);
      continue;
    }
    const parsed = utils.parseKey(text);
    if (parsed instanceof Error) {
      problems.push(
        /encrypted|passphrase/i.test(parsed.message)
          ? `${file}: the key is protected by a passphrase; add it to ssh-agent (ssh-add) so BrightRun can use it`
          : `${file}: ${parsed.message}`,
      );
      continue;
    }
    methods.push({ type: 'publickey', username: t.user, key: text } as AuthMethod);
  }
  if (t.agent) methods.push({ type: 'agent', username: t.user, agent: t.agent } as AuthMethod);
  if (methods.length === 0) {
    throw new SshError(
      `No usable SSH key for ${t.label}${problems.length ? ` (${problems.join('; ')})` : ''}. ` +
        'Set identityFile for the host or IdentityFile in ~/.ssh/config, or start ssh-agent.',
      'auth',
      false,
    );
  }
  return methods;
}
