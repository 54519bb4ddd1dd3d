// The editor side of SSH host key checking: an unknown key is shown with its fingerprint in a modal, and only an
// explicit "Trust and Connect" lets the connection go on (the SSH layer then adds it to known_hosts).
import * as vscode from 'vscode';
import type { HostKeyPrompt, VerifyHostKey } from '../../platform/sshHostKeys';

export const TRUST_ACTION = 'Trust and Connect';

export function hostKeyQuestion(prompt: HostKeyPrompt): { message: string; detail: string } {
  const otherTypes = prompt.knownTypes.length
    ? `\n\nknown_hosts already holds a ${prompt.knownTypes.join(', ')} key for this host; the server offered a ${prompt.keyType} key instead.`
    : '';
  return {
    message: `Trust the SSH host "${prompt.label}"?`,
    detail:
      `The authenticity of ${prompt.host} (port ${prompt.port}) can't be established.\n` +
      `${prompt.keyType} key fingerprint: ${prompt.fingerprint}\n\n` +
      `Compare it with the fingerprint the server's administrator gives you (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub). ` +
      `If you trust it, it is added to your known_hosts.${otherTypes}`,
  };
}

/** One modal per host key at a time: concurrent connections to the same new host share the answer. */
export function createVerifyHostKey(): VerifyHostKey {
  const pending = new Map<string, Promise<boolean>>();
  return (prompt) => {
    const key = `${prompt.host}:${prompt.port}:${prompt.fingerprint}`;
    let answer = pending.get(key);
    if (!answer) {
      const { message, detail } = hostKeyQuestion(prompt);
      answer = Promise.resolve(vscode.window.showWarningMessage(message, { modal: true, detail }, TRUST_ACTION)).then((choice) => choice === TRUST_ACTION);
      pending.set(key, answer);
      void answer.finally(() => pending.delete(key));
    }
    return answer;
  };
}
