// The hyper-parameter diff: each run's config flattened to "lora.r"-style keys, one row per key, marked when the
// runs disagree. Bookkeeping keys that always differ (the run id) are left out so the differences that matter
// stand out.
export interface DiffRow {
  key: string;
  values: string[];
  differs: boolean;
}

const IGNORED = new Set(['v', 'run_id']);

export function flattenConfig(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (IGNORED.has(path)) continue;
      for (const [k, v] of flattenConfig(child, path)) out.set(k, v);
    }
    if (prefix !== '' && Object.keys(value).length === 0) out.set(prefix, '{}');
  } else if (prefix !== '') {
    out.set(prefix, value === undefined ? '' : value === null ? '—' : Array.isArray(value) ? value.join(', ') : String(value));
  }
  return out;
}

export function configDiff(configs: readonly unknown[]): DiffRow[] {
  const flat = configs.map((c) => flattenConfig(c));
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const map of flat) {
    for (const key of map.keys()) {
      if (seen.has(key)) continue;
      seen.add(key);
      keys.push(key);
    }
  }
  return keys.map((key) => {
    const values = flat.map((map) => map.get(key) ?? '(not set)');
    return { key, values, differs: new Set(values).size > 1 };
  });
}
