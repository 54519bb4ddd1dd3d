// known_hosts: parse the lines OpenSSH writes (plain and hashed `|1|salt|hmac` names, `[host]:port` for other
// ports, comma lists, wildcards, `!` negation, @revoked/@cert-authority markers) and decide whether a host key
// the server presented is known, unknown, or changed. Fingerprints are printed like OpenSSH: SHA256:<base64>.
import { createHash, createHmac } from 'node:crypto';
import { matchPatternList } from './sshConfig';

export interface KnownHostLine {
  /** 1-based line number, for messages that tell the user what to edit. */
  line: number;
  marker: '@revoked' | '@cert-authority' | null;
  hosts: string;
  keyType: string;
  keyBase64: string;
}

export type HostKeyCheck =
  | { result: 'match' }
  | { result: 'unknown'; fingerprint: string; keyType: string; knownTypes: string[] }
  | { result: 'changed'; fingerprint: string; keyType: string; knownFingerprints: string[]; lines: number[] }
  | { result: 'revoked'; fingerprint: string; keyType: string; lines: number[] };

export function parseKnownHosts(text: string): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const words = line.split(/\s+/);
    let marker: KnownHostLine['marker'] = null;
    if (words[0] === '@revoked' || words[0] === '@cert-authority') marker = words.shift() as KnownHostLine['marker'];
    if (words.length < 3) return; // malformed lines are ignored, as OpenSSH does
    out.push({ line: index + 1, marker, hosts: words[0], keyType: words[1], keyBase64: words[2] });
  });
  return out;
}

/** The name OpenSSH looks up: `host` for port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  return matchPatternList(name, field.split(','));
}

/** The key type written inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) throw new Error('Host key blob too short.');
  const len = blob.readUInt32BE(0);
  if (len > blob.length - 4) throw new Error('Host key blob is malformed.');
  return blob.subarray(4, 4 + len).toString('latin1');
}

export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Checks `blob` (the server's public key) for host/port against the parsed lines of every known_hosts file. */
export function checkHostKey(lines: readonly KnownHostLine[], host: string, port: number, blob: Buffer): HostKeyCheck {
  const name = knownHostName(host, port);
  const keyType = keyTypeOfBlob(blob);
  const keyBase64 = blob.toString('base64');
  const fingerprint = sha256Fingerprint(blob);
  const forHost = lines.filter((l) => l.marker !== '@cert-authority' && hostFieldMatches(l.hosts, name));
  const revoked = forHost.filter((l) => l.marker === '@revoked' && l.keyBase64 === keyBase64);
  if (revoked.length > 0) return { result: 'revoked', fingerprint, keyType, lines: revoked.map((l) => l.line) };
  const plain = forHost.filter((l) => l.marker === null);
  if (plain.some((l) => l.keyBase64 === keyBase64)) return { result: 'match' };
  const sameType = plain.filter((l) => l.keyType === keyType);
  if (sameType.length > 0) {
    return {
      result: 'changed',
      fingerprint,
      keyType,
      knownFingerprints: sameType.map((l) => sha256Fingerprint(Buffer.from(l.keyBase64, 'base64'))),
      lines: sameType.map((l) => l.line),
    };
  }
  return { result: 'unknown', fingerprint, keyType, knownTypes: [...new Set(plain.map((l) => l.keyType))] };
}

/** Key types already recorded for this host, so the client can ask the server for one of those first
 *  (as OpenSSH does) rather than being offered a different type it would have to treat as unknown. */
export function knownKeyTypes(lines: readonly KnownHostLine[], host: string, port: number): string[] {
  const name = knownHostName(host, port);
  return [...new Set(lines.filter((l) => l.marker === null && hostFieldMatches(l.hosts, name)).map((l) => l.keyType))];
}

/** The line to append on consent. Plain (not hashed) so the user can read and edit the file. */
export function knownHostsLine(host: string, port: number, blob: Buffer): string {
  return `${knownHostName(host, port)} ${keyTypeOfBlob(blob)} ${blob.toString('base64')}`;
}
