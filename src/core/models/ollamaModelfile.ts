// An Ollama Modelfile for a trained adapter: the base (or merged) model, the adapter, the chat template translated
// from the tokenizer's Jinja template to Ollama's Go template, and the stop tokens. Pure: the caller reads the
// tokenizer files and writes the result.

/** The chat formats Ollama has a known Go template for, recognised by their turn markers. */
export type TemplateFamily = 'chatml' | 'llama3' | 'mistral' | 'gemma' | 'phi3' | 'unknown';

const FAMILY_MARKERS: readonly [TemplateFamily, string][] = [
  ['llama3', '<|start_header_id|>'],
  ['gemma', '<start_of_turn>'],
  ['chatml', '<|im_start|>'],
  ['phi3', '<|user|>'],
  ['mistral', '[INST]'],
];

export const FAMILY_NAMES: Record<TemplateFamily, string> = {
  chatml: 'ChatML',
  llama3: 'Llama 3',
  mistral: 'Mistral',
  gemma: 'Gemma',
  phi3: 'Phi-3',
  unknown: 'unrecognised',
};

/** The family of a Jinja chat template, by the first marker it contains; 'unknown' for none or no template. */
export function detectTemplateFamily(chatTemplate: string | null): TemplateFamily {
  if (!chatTemplate) return 'unknown';
  return FAMILY_MARKERS.find(([, marker]) => chatTemplate.includes(marker))?.[0] ?? 'unknown';
}

// Ollama adds the Modelfile's SYSTEM (or the request's system message) to .Messages as a "system" message, so
// each template only walks .Messages and ends with the assistant's header: generation continues from there.
const OLLAMA_TEMPLATES: Record<TemplateFamily, string> = {
  chatml: `{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
`,
  llama3: `{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>

{{ .Content }}<|eot_id|>
{{- end }}<|start_header_id|>assistant<|end_header_id|>

`,
  // Mistral has no system turn: the system prompt goes before the last user message, as its own template does.
  mistral: `{{- range $i, $_ := .Messages }}
{{- if eq .Role "user" }}[INST] {{ if and $.System (eq (len (slice $.Messages $i)) 1) }}{{ $.System }}

{{ end }}{{ .Content }}[/INST]
{{- else if eq .Role "assistant" }} {{ .Content }}</s>
{{- end }}
{{- end }}`,
  // Gemma has no system turn either: a system message is shown as a user turn.
  gemma: `{{- range .Messages }}
{{- if eq .Role "assistant" }}<start_of_turn>model
{{ .Content }}<end_of_turn>
{{ else }}<start_of_turn>user
{{ .Content }}<end_of_turn>
{{ end }}
{{- end }}<start_of_turn>model
`,
  phi3: `{{- range .Messages }}<|{{ .Role }}|>
{{ .Content }}<|end|>
{{ end }}<|assistant|>
`,
  unknown: `{{- range .Messages }}### {{ .Role }}:
{{ .Content }}

{{ end }}### assistant:
`,
};

/** The tokens that end an assistant turn in each family (the tokenizer's eos is added to these). */
const FAMILY_STOPS: Record<TemplateFamily, readonly string[]> = {
  chatml: ['<|im_start|>', '<|im_end|>'],
  llama3: ['<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>'],
  mistral: ['[INST]', '[/INST]'],
  gemma: ['<start_of_turn>', '<end_of_turn>'],
  phi3: ['<|end|>', '<|user|>', '<|assistant|>'],
  unknown: ['### user:'],
};

export function ollamaTemplate(family: TemplateFamily): string {
  return OLLAMA_TEMPLATES[family];
}

/** The family's end-of-turn tokens and the tokenizer's eos, each once. */
export function stopTokens(family: TemplateFamily, eosToken: string | null): string[] {
  return [...new Set([...FAMILY_STOPS[family], ...(eosToken ? [eosToken] : [])])];
}

/**
 * A system prompt the Jinja template inserts when the conversation has none (SmolLM2's "You are a helpful AI
 * assistant named SmolLM..."), so the Ollama model answers as the original did; null when there is none.
 */
export function defaultSystemPrompt(chatTemplate: string | null, family: TemplateFamily): string | null {
  if (!chatTemplate || family !== 'chatml') return null;
  // The line break is a real one (SmolLM2) or a Jinja escape inside the string literal (Qwen).
  const match = /'<\|im_start\|>system(?:\n|\\n)([^'<]+)<\|im_end\|>/.exec(chatTemplate);
  return match ? match[1].trim() : null;
}

/** The eos token from a tokenizer_config.json object: a string or an added-token object ({content}). */
export function eosTokenOf(tokenizerConfig: Record<string, unknown>): string | null {
  const eos = tokenizerConfig.eos_token;
  if (typeof eos === 'string') return eos || null;
  if (eos && typeof eos === 'object' && typeof (eos as { content?: unknown }).content === 'string') return (eos as { content: string }).content || null;
  return null;
}

/** The chat template from tokenizer_config.json: a string, or a list of named templates ("default" first). */
export function chatTemplateOf(tokenizerConfig: Record<string, unknown>): string | null {
  const template = tokenizerConfig.chat_template;
  if (typeof template === 'string') return template || null;
  if (Array.isArray(template)) {
    const named = template.filter((t): t is { name: string; template: string } => typeof t?.name === 'string' && typeof t?.template === 'string');
    return (named.find((t) => t.name === 'default') ?? named[0])?.template ?? null;
  }
  return null;
}

export interface ModelfileInput {
  /** A header comment: where the export came from. */
  comment: string;
  /** The base model (a .gguf file or a model folder), or the merged model folder. */
  from: string;
  /** The LoRA adapter (a safetensors folder or a .gguf file); null for a merged model. */
  adapter: string | null;
  chatTemplate: string | null;
  eosToken: string | null;
  /** A system prompt to bake in (the training data's common one); else the template's default, if any. */
  system?: string | null;
}

export interface RenderedModelfile {
  text: string;
  family: TemplateFamily;
  stops: string[];
  system: string | null;
  /** Things the user should know (an unrecognised template). */
  notes: string[];
}

/** A path on one line, in double quotes when it has spaces (Ollama's parser reads "..." without escapes). */
function quoted(value: string): string {
  if (/[\r\n"]/.test(value)) throw new Error(`Ollama cannot read a path with a double quote or a line break: ${JSON.stringify(value)}; move or rename it`);
  return /\s/.test(value) ? `"${value}"` : value;
}

function block(value: string): string {
  if (value.includes('"""')) throw new Error('a Modelfile block cannot contain """');
  return `"""${value}"""`;
}

export function renderModelfile(input: ModelfileInput): RenderedModelfile {
  const family = detectTemplateFamily(input.chatTemplate);
  const stops = stopTokens(family, input.eosToken);
  const system = input.system?.trim() || defaultSystemPrompt(input.chatTemplate, family);
  const notes =
    family === 'unknown'
      ? [
          input.chatTemplate
            ? "The tokenizer's chat template is none of ChatML, Llama 3, Mistral, Gemma or Phi-3: the Modelfile has a generic '### role:' template. Replace TEMPLATE with the model's own format before relying on its answers."
            : "The tokenizer has no chat template: the Modelfile has a generic '### role:' template. Replace TEMPLATE with the format the model was trained on.",
        ]
      : [];
  const lines = [
    ...input.comment.split('\n').map((line) => `# ${line}`.trimEnd()),
    ...notes.map((note) => `# NOTE: ${note}`),
    `FROM ${quoted(input.from)}`,
    ...(input.adapter ? [`ADAPTER ${quoted(input.adapter)}`] : []),
    `TEMPLATE ${block(ollamaTemplate(family))}`,
    ...(system ? [`SYSTEM ${block(system)}`] : []),
    ...stops.map((stop) => `PARAMETER stop ${JSON.stringify(stop)}`),
  ];
  return { text: lines.join('\n') + '\n', family, stops, system: system ?? null, notes };
}

/** A valid Ollama model name from a run's label: lower case, [a-z0-9._-], at most 80 characters. */
export function defaultOllamaName(label: string): string {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 80);
  return slug || 'brightrun-model';
}

/** Null when `name` is a model name `ollama create` accepts ([namespace/]model[:tag]), else why not. */
export function ollamaNameProblem(name: string): string | null {
  if (/^[a-zA-Z0-9][a-zA-Z0-9._-]*(\/[a-zA-Z0-9][a-zA-Z0-9._-]*)?(:[a-zA-Z0-9][a-zA-Z0-9._-]{0,127})?$/.test(name)) return null;
  return `'${name}' is not an Ollama model name: use letters, digits, '.', '_' and '-' (optionally namespace/name:tag)`;
}

/** The command that creates the model, quoted for a POSIX shell. */
export function ollamaCreateCommand(name: string, modelfile: string): string {
  const sh = (s: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return `ollama create ${sh(name)} -f ${sh(modelfile)}`;
}

/** The system prompt of one training example (openai-chat, sharegpt or alpaca), or null. */
function systemOf(example: unknown): string | null {
  if (!example || typeof example !== 'object') return null;
  const { messages, conversations, system } = example as { messages?: unknown; conversations?: unknown; system?: unknown };
  const first = (Array.isArray(messages) ? messages[0] : Array.isArray(conversations) ? conversations[0] : undefined) as Record<string, unknown> | undefined;
  if (first && (first.role === 'system' || first.from === 'system')) {
    const content = first.content ?? first.value;
    return typeof content === 'string' && content.trim() ? content.trim() : null;
  }
  return typeof system === 'string' && system.trim() ? system.trim() : null;
}

/** Share of the examples that must have the same system prompt for it to become the model's SYSTEM. */
const COMMON_SYSTEM_SHARE = 0.8;

/** The system prompt most training examples share (JSONL lines), or null when none is common to most of them. */
export function commonSystemPrompt(lines: Iterable<string>): string | null {
  const counts = new Map<string, number>();
  let examples = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    examples += 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue; // a broken line counts as an example without one
    }
    const system = systemOf(parsed);
    if (system) counts.set(system, (counts.get(system) ?? 0) + 1);
  }
  const [best, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
  return best !== null && count >= examples * COMMON_SYSTEM_SHARE ? best : null;
}
