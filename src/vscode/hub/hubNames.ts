// Pure rules for pushing an adapter to the Hugging Face Hub: repository ids and which files go up.
// No 'vscode' import, so the unit tests cover them without an editor.

const PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Why `id` is not a usable `namespace/name` model repository id, or null when it is. */
export function repoIdProblem(id: string): string | null {
  const parts = id.split('/');
  if (parts.length !== 2) return 'Use the form "namespace/name", e.g. "alice/llama-support-lora".';
  const [namespace, name] = parts;
  for (const [label, part] of [
    ['namespace', namespace],
    ['name', name],
  ] as const) {
    if (!part) return `The ${label} is empty: use the form "namespace/name".`;
    if (!PART.test(part)) {
      return `The ${label} "${part}" may only contain letters, digits, "-", "_" and ".", and must start and end with a letter or digit.`;
    }
    if (part.includes('--') || part.includes('..')) return `The ${label} "${part}" must not contain "--" or "..".`;
  }
  if (name.length > 96) return `The name is ${name.length} characters long; the Hub allows at most 96.`;
  if (name.endsWith('.git')) return 'The name must not end with ".git".';
  return null;
}

/** A readable default repository name from the base model and the run id, e.g. "qwen2-0.5b-lora-20261124-0812". */
export function suggestRepoName(baseModel: string, runId: string): string {
  const modelTail =
    baseModel
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? 'model';
  const raw = `${modelTail}-lora-${runId}`.toLowerCase();
  const cleaned = raw
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return (cleaned || 'lora-adapter').slice(0, 96).replace(/[^a-z0-9]+$/, '');
}

export interface AdapterFile {
  /** Path relative to the adapter folder, with "/" separators. */
  path: string;
  size: number;
}

export interface UploadPlan {
  files: AdapterFile[];
  totalBytes: number;
  hasModelCard: boolean;
}

const WEIGHTS = /^adapter_model\.(safetensors|bin)$/;
// Training leftovers that do not belong in a published adapter.
const SKIPPED = [
  /^checkpoint-\d+(\/|$)/,
  /(^|\/)\./,
  /\.tmp$/,
  /(^|\/)training_args\.bin$/,
  /(^|\/)optimizer\.pt$/,
  /(^|\/)scheduler\.pt$/,
  /(^|\/)rng_state[^/]*\.pth$/,
];

/** Chooses the files of an adapter folder to upload; throws with what is missing when it is not an adapter. */
export function planAdapterUpload(entries: AdapterFile[]): UploadPlan {
  const files = entries.filter((entry) => !SKIPPED.some((pattern) => pattern.test(entry.path))).sort((a, b) => a.path.localeCompare(b.path));
  const names = new Set(files.map((file) => file.path));
  const missing: string[] = [];
  if (!names.has('adapter_config.json')) missing.push('adapter_config.json');
  if (!files.some((file) => WEIGHTS.test(file.path))) missing.push('adapter_model.safetensors');
  if (missing.length > 0) {
    throw new Error(`This folder is not a LoRA adapter: ${missing.join(' and ')} missing. Push the adapter/ folder of a completed run.`);
  }
  return { files, totalBytes: files.reduce((sum, file) => sum + file.size, 0), hasModelCard: names.has('README.md') };
}

/** A minimal model card for adapters whose run did not write one. */
export function fallbackModelCard(input: { repoId: string; baseModel: string; runId: string; finalEvalLoss?: number | null }): string {
  const loss = input.finalEvalLoss == null ? 'not measured' : input.finalEvalLoss.toFixed(4);
  return [
    '---',
    `base_model: ${input.baseModel}`,
    'library_name: peft',
    'tags:',
    '- lora',
    '- brightrun',
    '---',
    '',
    `# ${input.repoId}`,
    '',
    `A LoRA adapter for \`${input.baseModel}\`, trained with BrightRun (run \`${input.runId}\`).`,
    '',
    `Final eval loss: ${loss}.`,
    '',
  ].join('\n');
}
