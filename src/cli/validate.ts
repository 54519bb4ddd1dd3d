// `brightrun validate FILE...`: the dataset validator for scripts and CI. Compiler-style findings
// (file:line:col: severity code: message) and statistics, or one JSON document with --json.
// Exit 0: no errors; 1: errors found; 2: bad usage or a file that cannot be read.
import { availableParallelism } from 'node:os';
import type { CliCommand } from './dispatch';
import {
  costPerEpoch,
  loadTokenCounter,
  tokenizerSpecFor,
  loadValidationSet,
  RULES,
  validateFile,
  type FileReport,
  type SeverityOverride,
  type ValidationSet,
} from '../core/dataset';
import { formatTokens } from '../core/dataset/stats';
import { omittedMessage } from '../core/dataset/findingLimits';
import { escapeForTerminal as shown, escapeJsonForTerminal } from './terminalText';

const USAGE = `usage: brightrun validate FILE... [options]

  --json               print {"files":[{path, format, examples, findings, omitted, stats}]} instead of text
  --max-seq-len N      report examples longer than N tokens (default 2048)
  --tokenizer SOURCE   exact counts from a model folder (its chat template and tokenizer), a tokenizer.json,
                       or a model id in the local Hugging Face cache; "default" (cl100k on a sample of texts
                       and near --max-seq-len, estimated elsewhere), "cl100k" (every text) or "estimate"
  --val FILE           the validation file: report training examples that also appear in it
  --workers N          worker threads for large files (default: up to 4, one per CPU core)
  --price USD          price per 1M training tokens, to print the cost of one epoch
  --severity CODE=LEVEL  override a rule's severity (error, warning, info, off); repeatable`;

interface Args {
  files: string[];
  json: boolean;
  maxSeqLen: number;
  tokenizer: string;
  val?: string;
  workers: number;
  price?: number;
  severity: Record<string, SeverityOverride>;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Args = { files: [], json: false, maxSeqLen: 2048, tokenizer: 'default', workers: Math.min(4, availableParallelism()), severity: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    const integer = (v: string, min: number) => {
      if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`${arg} must be a whole number >= ${min}, got "${v}"`);
      return Number(v);
    };
    if (arg === '--json') args.json = true;
    else if (arg === '--max-seq-len') args.maxSeqLen = integer(value(), 1);
    else if (arg === '--tokenizer') args.tokenizer = value();
    else if (arg === '--val') args.val = value();
    else if (arg === '--workers') args.workers = integer(value(), 1);
    else if (arg === '--price') {
      const v = value();
      if (!/^\d+(\.\d+)?$/.test(v)) throw new UsageError(`--price must be a number of dollars per 1M tokens, got "${v}"`);
      args.price = Number(v);
    } else if (arg === '--severity') {
      const [code, level] = value().split('=');
      if (!Object.hasOwn(RULES, code)) throw new UsageError(`--severity: unknown rule code "${code}" (known: ${Object.keys(RULES).join(', ')})`);
      if (!['error', 'warning', 'info', 'off'].includes(level)) throw new UsageError(`--severity ${code}=... must be error, warning, info or off`);
      args.severity[code] = level as SeverityOverride;
    } else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else args.files.push(arg);
  }
  if (args.files.length === 0) throw new UsageError('no FILE given');
  return args;
}

export const command: CliCommand = {
  summary: 'check JSONL training data: findings at line and column, token statistics',
  usage: USAGE,
  async run(argv) {
    let args: Args;
    try {
      args = parseArgs(argv);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      if (error.message) console.error(`brightrun validate: ${shown(error.message)}`);
      console.error(USAGE);
      return error.message ? 2 : 0;
    }
    const counter = await loadTokenCounter(tokenizerSpecFor(args.tokenizer, args.maxSeqLen));
    if (counter.note) console.error(`brightrun validate: ${shown(counter.note)}`);
    let validationSet: ValidationSet | undefined;
    if (args.val) {
      try {
        validationSet = await loadValidationSet(args.val);
      } catch (error) {
        console.error(`brightrun validate: cannot read the validation file ${shown(args.val)}: ${shown(reason(error))}`);
        return 2;
      }
    }
    const reports: FileReport[] = [];
    let unreadable = false;
    for (const file of args.files) {
      try {
        const progress = process.stderr.isTTY && !args.json ? progressPrinter(file) : undefined;
        reports.push(await validateFile(file, { maxSeqLen: args.maxSeqLen, tokenCounter: counter, validationSet, severityOverrides: args.severity, workers: args.workers }, progress));
        if (progress) process.stderr.write('\r\x1b[K');
      } catch (error) {
        unreadable = true;
        console.error(`brightrun validate: cannot read ${shown(file)}: ${shown(reason(error))}`);
      }
    }
    if (args.json) console.log(escapeJsonForTerminal(JSON.stringify({ files: reports.map(toJson) }, null, 2)));
    else for (const report of reports) printHuman(report, args.price);
    if (unreadable) return 2;
    return reports.some((r) => r.stats.errors > 0) ? 1 : 0;
  },
};

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EACCES') return 'permission denied';
  if (e?.code === 'EISDIR') return 'it is a directory';
  return e instanceof Error ? e.message : String(error);
}

function progressPrinter(file: string) {
  let last = -1;
  return ({ bytesRead, totalBytes }: { bytesRead: number; totalBytes: number }) => {
    const pct = totalBytes ? Math.floor((100 * bytesRead) / totalBytes) : 100;
    if (totalBytes > 8 << 20 && pct !== last) {
      last = pct;
      process.stderr.write(`\rvalidating ${shown(file)}: ${pct}%`);
    }
  };
}

function toJson(r: FileReport) {
  return {
    path: r.path,
    format: r.format,
    examples: r.stats.examples,
    findings: r.findings.map(({ line, column, endColumn, code, severity, message }) => ({ line, column, endColumn, code, severity, message })),
    omitted: r.omitted,
    stats: r.stats,
  };
}

// Messages quote the dataset and paths are the user's: both go through `shown` (see terminalText.ts).
function printHuman(r: FileReport, price: number | undefined): void {
  const path = shown(r.path);
  for (const f of r.findings) {
    const related = f.related?.map((x) => ` (see ${x.file ? `${shown(x.file)}:` : 'line '}${x.line})`).join('') ?? '';
    console.log(`${path}:${f.line}:${f.column}: ${f.severity} ${f.code}: ${shown(f.message)}${related}`);
  }
  for (const [code, count] of Object.entries(r.omitted)) console.log(`${path}: ${omittedMessage(code, count)}`);
  const s = r.stats;
  const t = s.tokens;
  console.log(`${path}: ${s.format}, ${s.examples} examples, ${s.messages} messages`);
  console.log(`  tokens: ${formatTokens(t.total)} total, ${formatTokens(t.assistant)} trained; per example p50 ${t.p50}, p95 ${t.p95}, max ${t.max} (${shown(s.tokenizer)})`);
  console.log(`  over max_seq_len ${s.maxSeqLen}: ${s.examplesOverMaxSeqLen}; padding waste without packing: ${(100 * s.paddingWaste).toFixed(0)}%`);
  if (price !== undefined) console.log(`  ${costPerEpoch(s, price).line}`);
  console.log(`  ${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info(s)`);
}
