// Host aliases a user can pick from ~/.ssh/config (concrete names only, no patterns). Pure.

/** The concrete names among the patterns of the config's Host lines (see sshConfigHostPatterns), each once. */
export function concreteAliases(hostPatterns: readonly string[]): string[] {
  return [...new Set(hostPatterns.filter((name) => !/[*?!]/.test(name)))];
}

/** "user@box.example.com:2222" -> its parts; null when it is not of that shape. */
export function parseUserAtHost(text: string): { user?: string; host: string; port?: number } | null {
  const match = text.trim().match(/^(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/);
  if (!match) return null;
  const port = match[3] ? Number(match[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return null;
  return { ...(match[1] ? { user: match[1] } : {}), host: match[2].replace(/^\[|\]$/g, ''), ...(port ? { port } : {}) };
}

/** A host name for the Runs view from an alias or a host: letters, digits and . _ @ - only. */
export function hostNameFor(text: string, taken: readonly string[]): string {
  const base =
    text
      .replace(/[^A-Za-z0-9._@-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 60) || 'gpu-host';
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}-${i}`;
  return name;
}
