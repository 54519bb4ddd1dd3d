// The table of subcommands: name, one-line summary, operands, options, examples, and the handler (loaded lazily,
// so `brightrun validate` never pays for the SSH stack). Dispatch, argument parsing and every help text are
// derived from it; a command module only exports `run`.
import type { CommandHandler, OptionSpec } from './commandArgs';

export interface CliCommand {
  name: string;
  summary: string;
  /** What follows `brightrun NAME` in the usage line. */
  usage: string;
  /** How many operands (non-option arguments) the command takes, and what to say when one is missing. */
  operands: { min: number; max: number; missing: string };
  options: OptionSpec[];
  examples: string[];
  load: () => Promise<CommandHandler>;
}

const RUN_OPERAND = { min: 1, max: 1, missing: 'name a run: its id, a unique prefix of it, or `last` (see `brightrun runs`)' };
const FOLLOW: OptionSpec = { name: 'follow', short: 'f', description: 'print live metrics until the run ends (Ctrl-C detaches; the run goes on)' };

export const COMMANDS: readonly CliCommand[] = [
  {
    name: 'validate',
    summary: 'check JSONL training data: findings at line and column, token statistics',
    usage: 'FILE|FOLDER... [options]',
    operands: { min: 1, max: Infinity, missing: 'no FILE given (a JSONL file, or a folder: every *.jsonl under it)' },
    options: [
      { name: 'json', description: 'print {"files":[{path, format, examples, findings, omitted, stats}]} instead of text' },
      { name: 'max-seq-len', value: 'N', description: 'report examples longer than N tokens (default 2048)' },
      {
        name: 'tokenizer',
        value: 'SOURCE',
        description:
          'exact counts from a model folder (its chat template and tokenizer), a tokenizer.json, or a model id in the ' +
          'local Hugging Face cache; "default" (cl100k on a sample of texts and near --max-seq-len, estimated elsewhere), ' +
          '"cl100k" (every text) or "estimate"',
      },
      { name: 'val', value: 'FILE', description: 'the validation file: report training examples that also appear in it' },
      { name: 'workers', value: 'N', description: 'worker threads for large files (default: up to 4, one per CPU core)' },
      { name: 'price', value: 'USD', description: 'price per 1M training tokens, to print the cost of one epoch' },
      { name: 'severity', value: 'CODE=LEVEL', multiple: true, description: "override a rule's severity (error, warning, info, off); repeatable" },
    ],
    examples: ['brightrun validate data/ --max-seq-len 4096', "brightrun validate train.jsonl --val val.jsonl --json | jq '.files[0].stats'"],
    load: async () => (await import('./validate')).run,
  },
  {
    name: 'train',
    summary: 'launch a LoRA training run from a *.brightrun.json config',
    usage: 'CONFIG.brightrun.json [--host NAME] [--follow] [--dry-run] [--set NAME=VALUE]...',
    operands: { min: 1, max: 1, missing: 'name the run config file (CONFIG.brightrun.json)' },
    options: [
      { name: 'host', value: 'NAME', description: "where to train: 'local', a host of hosts.json or an ~/.ssh/config alias (default: the config's host)" },
      FOLLOW,
      { name: 'dry-run', description: 'print the estimate and the trainer config the run would get; launch nothing' },
      {
        name: 'set',
        value: 'NAME=VALUE',
        multiple: true,
        description: "fill a template's variable (a file relative to the current folder); repeatable. A template with a variable left unfilled is refused",
      },
    ],
    examples: [
      'brightrun train run.brightrun.json --follow',
      'brightrun train run.brightrun.json --host gpu-box --dry-run',
      'brightrun train tickets.brightrun.json --set train=data/train.jsonl --set validation=data/val.jsonl',
    ],
    load: async () => (await import('./train')).run,
  },
  {
    name: 'runs',
    summary: 'list runs with their state, progress, losses and cost',
    usage: '[--json] | --remove RUN',
    operands: { min: 0, max: 0, missing: '' },
    options: [
      { name: 'json', description: 'print the runs as a JSON array' },
      { name: 'remove', value: 'RUN', description: 'forget an ended run (its folder on the host is kept)' },
    ],
    examples: ['brightrun runs', "brightrun runs --json | jq '.[0].state'"],
    load: async () => (await import('./runs')).run,
  },
  {
    name: 'logs',
    summary: "print a run's events (-f: follow live until it ends)",
    usage: 'RUN [-f|--follow] [--trainer-log]',
    operands: RUN_OPERAND,
    options: [
      { ...FOLLOW, description: 'after the history, print live events until the run ends (Ctrl-C detaches)' },
      { name: 'trainer-log', description: "print the trainer's own output (trainer.log) instead of the events" },
    ],
    examples: ['brightrun logs last -f', 'brightrun logs last --trainer-log | less'],
    load: async () => (await import('./logs')).run,
  },
  {
    name: 'cancel',
    summary: 'stop a run (it checkpoints first, so it can be resumed)',
    usage: 'RUN',
    operands: RUN_OPERAND,
    options: [],
    examples: ['brightrun cancel last'],
    load: async () => (await import('./cancel')).run,
  },
  {
    name: 'queue',
    summary: "a host's run queue: the runs waiting for its GPUs, in order; move one up",
    usage: '[--host NAME] [--json] | move-up RUN',
    operands: { min: 0, max: 2, missing: '' },
    options: [
      { name: 'host', value: 'NAME', description: "the host whose queue is listed: 'local' (default) or a host of hosts.json" },
      { name: 'json', description: 'print the queue as JSON: [{run_id, state, position, gpus, devices, pid, alive, ...}]' },
    ],
    examples: ['brightrun queue --host gpu-box', 'brightrun queue move-up 20261203-063127-c55eac', 'brightrun cancel RUN   # a queued run leaves the queue'],
    load: async () => (await import('./queue')).run,
  },
  {
    name: 'resume',
    summary: 'continue a cancelled or failed run from its latest checkpoint',
    usage: 'RUN [--follow]',
    operands: RUN_OPERAND,
    options: [FOLLOW],
    examples: ['brightrun resume last --follow'],
    load: async () => (await import('./resume')).run,
  },
  {
    name: 'eval',
    summary: "score a run's adapter against its base model: perplexity, task metrics, quality gates",
    usage: 'RUN [--prompts FILE] [--max-prompts N] [--max-new-tokens N] [--json]',
    operands: RUN_OPERAND,
    options: [
      { name: 'prompts', value: 'FILE', description: 'a JSONL prompt set, one {"prompt": ..., "reference": ...} per line (default: the validation examples)' },
      { name: 'max-prompts', value: 'N', description: 'answer at most N prompts' },
      { name: 'max-new-tokens', value: 'N', description: 'generate at most N tokens per answer' },
      { name: 'json', description: 'print the report as JSON instead of the scorecard' },
    ],
    examples: ['brightrun eval last', "brightrun eval last --json | jq '.adapter.perplexity, .gates'"],
    load: async () => (await import('./eval')).run,
  },
  {
    name: 'spend',
    summary: 'GPU spend this month per day, week, host, project and run; monthly budget',
    usage: '[--json] [--month YYYY-MM] [--budget USD]',
    operands: { min: 0, max: 0, missing: '' },
    options: [
      { name: 'json', description: 'print the report as JSON: {v, now, month, total, days, weeks, months, hosts, projects, runs, budget}' },
      { name: 'month', value: 'YYYY-MM', description: 'the calendar month to report on, in UTC (default: this month)' },
      { name: 'budget', value: 'USD', description: 'the monthly budget to measure the month against (default: $BRIGHTRUN_MONTHLY_BUDGET_USD; 0: none)' },
    ],
    examples: ['brightrun spend --budget 500', "brightrun spend --month 2026-11 --json | jq '.projects'"],
    load: async () => (await import('./spend')).run,
  },
  {
    name: 'export',
    summary: "a completed run's adapter as an Ollama model (Modelfile, GGUF, ollama create)",
    usage: 'RUN --ollama [--name NAME] [--out DIR] [--merged] [--gguf] [--adapter DIR]',
    operands: RUN_OPERAND,
    options: [
      { name: 'ollama', description: 'export to Ollama: write a Modelfile and run `ollama create` when Ollama is installed' },
      { name: 'name', value: 'NAME', description: "the Ollama model's name (default: the run's name or id)" },
      { name: 'out', value: 'DIR', description: 'the export folder (default: ollama/ beside the adapter folder)' },
      { name: 'merged', description: 'merge the adapter into the base model and export the merged model' },
      { name: 'gguf', description: "convert to GGUF (llama.cpp's converter via LLAMA_CPP_DIR or PATH, else the gguf package)" },
      { name: 'adapter', value: 'DIR', description: "a local copy of a remote run's adapter (downloaded first)" },
    ],
    examples: ['brightrun export last --ollama', 'brightrun export last --ollama --name support-bot --gguf'],
    load: async () => (await import('./export')).run,
  },
  {
    name: 'template',
    summary: "save a completed run's settings as a template, with its datasets as variables",
    usage: 'save RUN [--out FILE] [--name NAME] [--description TEXT] [--force]',
    operands: { min: 1, max: 2, missing: 'name the action: `brightrun template save RUN`' },
    options: [
      { name: 'out', value: 'FILE', description: 'the template file or its folder (default: beside the run config the run was launched from)' },
      { name: 'name', value: 'NAME', description: "the template's name, and its file's (default: the run's name)" },
      { name: 'description', value: 'TEXT', description: 'what runs made from the template are for' },
      { name: 'force', description: 'replace an existing file' },
    ],
    examples: [
      'brightrun template save last --name tickets',
      'brightrun train tickets.brightrun.json --set train=data/train.jsonl --set validation=data/val.jsonl',
    ],
    load: async () => (await import('./template')).run,
  },
  {
    name: 'sweeps',
    summary: "hyper-parameter sweeps with their best run, or one sweep's runs ranked by its metric",
    usage: '[SWEEP] [--json] [--follow]',
    operands: { min: 0, max: 1, missing: '' },
    options: [
      { name: 'json', description: 'print the sweeps (or the sweep and its ranked runs: rank, value, best, parameters) as JSON' },
      { ...FOLLOW, description: 'follow every run of the sweep until all have ended (early stop applied meanwhile), then print the ranking' },
    ],
    examples: ['brightrun sweeps', 'brightrun sweeps last --follow', "brightrun sweeps last --json | jq '.sweep.best'"],
    load: async () => (await import('./sweeps')).run,
  },
];
