// Host key verification against known_hosts: a known key passes, an unknown one asks the user through the
// callback and is appended on consent, a changed or revoked one is refused with the fingerprints shown.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkHostKey, keyTypeOfBlob, knownHostsLine, knownKeyTypes, parseKnownHosts, sha256Fingerprint, type KnownHostLine } from '../core/hosts/knownHosts';
import { SshError } from './sshErrors';

export interface HostKeyPrompt {
  /** The host as the user configured it. */
  label: string;
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  /** Key types already known for this host (the server offered a different type). */
  knownTypes: string[];
}

/** Asks the user whether to trust an unknown host key. Resolve true to connect and remember the key. */
export type VerifyHostKey = (prompt: HostKeyPrompt) => Promise<boolean>;

function readLines(files: readonly string[]): { file: string; lines: KnownHostLine[] }[] {
  return files.filter((f) => existsSync(f)).map((file) => ({ file, lines: parseKnownHosts(readFileSync(file, 'utf8')) }));
}

const ALGORITHMS_BY_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};
const ALL_ALGORITHMS = Object.values(ALGORITHMS_BY_TYPE).flat();

/** Host key algorithms with the types already in known_hosts first, so a known server is checked against
 *  the key we have rather than offering another type we would have to ask about. */
export function preferredHostKeyAlgorithms(files: readonly string[], host: string, port: number): string[] {
  const known = readLines(files).flatMap(({ lines }) => knownKeyTypes(lines, host, port));
  // Key types are whatever known_hosts says: only the table's own entries count ("constructor" is not a type).
  const first = known.flatMap((t) => (Object.hasOwn(ALGORITHMS_BY_TYPE, t) ? ALGORITHMS_BY_TYPE[t] : []));
  return [...new Set([...first, ...ALL_ALGORITHMS])];
}

/** Decides on the key a server presented. Resolves true to continue; throws an SshError to refuse. */
export async function verifyServerKey(
  blob: Buffer,
  target: { label: string; host: string; port: number; knownHostsFiles: string[] },
  ask: VerifyHostKey,
): Promise<true> {
  const sources = readLines(target.knownHostsFiles);
  const checks = sources.map(({ file, lines }) => ({ file, check: checkHostKey(lines, target.host, target.port, blob) }));
  const shown = `${target.label} (${target.host}:${target.port})`;
  const revoked = checks.find((c) => c.check.result === 'revoked');
  if (revoked && revoked.check.result === 'revoked') {
    throw new SshError(`The host key of ${shown} (${revoked.check.fingerprint}) is marked @revoked in ${revoked.file}. Refusing to connect.`, 'hostkey', false);
  }
  if (checks.some((c) => c.check.result === 'match')) return true;
  const changed = checks.find((c) => c.check.result === 'changed');
  if (changed && changed.check.result === 'changed') {
    throw new SshError(
      `HOST KEY CHANGED for ${shown}: the server presented ${changed.check.keyType} ${changed.check.fingerprint}, ` +
        `but ${changed.file} (line ${changed.check.lines.join(', ')}) has ${changed.check.knownFingerprints.join(', ')}. ` +
        'Someone could be intercepting the connection, or the host was reinstalled. If you trust the change, remove the old line ' +
        `(ssh-keygen -R '[${target.host}]:${target.port}' or '${target.host}') and connect again.`,
      'hostkey',
      false,
    );
  }
  const first = checks.find((c) => c.check.result === 'unknown')?.check;
  const knownTypes = first && first.result === 'unknown' ? first.knownTypes : [];
  const prompt: HostKeyPrompt = {
    label: target.label,
    host: target.host,
    port: target.port,
    keyType: keyTypeOfBlob(blob),
    fingerprint: sha256Fingerprint(blob),
    knownTypes,
  };
  let accepted: boolean;
  try {
    accepted = await ask(prompt);
  } catch (error) {
    throw new SshError(`Could not confirm the host key of ${shown}: ${(error as Error).message}`, 'hostkey', false);
  }
  if (!accepted) {
    throw new SshError(`The host key of ${shown} (${prompt.keyType} ${prompt.fingerprint}) was not accepted, so BrightRun did not connect.`, 'hostkey', false);
  }
  const file = target.knownHostsFiles[0];
  if (file) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
    appendFileSync(file, `${sep}${knownHostsLine(target.host, target.port, blob)}\n`, { mode: 0o600 });
  }
  return true;
}
