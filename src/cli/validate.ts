// `brightrun validate FILE|FOLDER...`: the dataset validator for scripts and CI. Compiler-style findings
// (file:line:col: severity code: message) and statistics, or one JSON document with --json.
// Exit 0: no errors; 1: errors found; 2: bad usage or a file that cannot be read.
import { availableParallelism } from 'node:os';
import { UsageError, type CommandArgs, type CommandHandler } from './commandArgs';
import { expandDatasetPaths } from './datasetFiles';
import { costPerEpoch, loadTokenCounter, tokenizerSpecFor, loadValidationSet, RULES, validateFile } from '../core/dataset';
import type { FileReport, SeverityOverride, ValidationSet } from '../contracts/dataset';
import { nodeDatasetFiles } from '../platform/nodeDatasetFiles';
import { nodeTokenizerFiles } from '../platform/nodeTokenizerFiles';
import { bundledValidationWorkers } from '../platform/validationWorkers';
import { formatTokens, preferenceLine } from '../core/dataset/stats';
import { omittedMessage } from '../core/dataset/findingLimits';
import { escapeForTerminal as shown, escapeJsonForTerminal } from './terminalText';

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

function integer(name: string, value: string | undefined, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${name} must be a whole number >= ${min}, got "${value}"`);
  return Number(value);
}

function price(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`--price must be a number of dollars per 1M tokens, got "${value}"`);
  return Number(value);
}

function severities(values: string[]): Record<string, SeverityOverride> {
  const severity: Record<string, SeverityOverride> = {};
  for (const value of values) {
    const [code, level] = value.split('=');
    if (!Object.hasOwn(RULES, code)) throw new UsageError(`--severity: unknown rule code "${code}" (known: ${Object.keys(RULES).join(', ')})`);
    if (!['error', 'warning', 'info', 'off'].includes(level)) throw new UsageError(`--severity ${code}=... must be error, warning, info or off`);
    severity[code] = level as SeverityOverride;
  }
  return severity;
}

/** Options checked, folders expanded into their files (the count of each said on stderr). */
function readArgs(args: CommandArgs): Args {
  const maxSeqLen = integer('max-seq-len', args.value('max-seq-len'), 1, 2048);
  const checked = {
    json: args.flag('json'),
    maxSeqLen,
    tokenizer: args.value('tokenizer') ?? 'default',
    val: args.value('val'),
    workers: integer('workers', args.value('workers'), 1, Math.min(4, availableParallelism())),
    price: price(args.value('price')),
    severity: severities(args.values('severity')),
  };
  const { files, folders } = expandDatasetPaths(args.positionals);
  for (const { folder, files: found } of folders) {
    if (found.length === 0) throw new UsageError(`${folder} holds no *.jsonl file (searched every folder under it)`);
    console.error(`brightrun validate: ${shown(folder)}: ${found.length} JSONL file${found.length === 1 ? '' : 's'}`);
  }
  return { files, ...checked };
}

export const run: CommandHandler = async (argv) => {
  const args = readArgs(argv);
  const counter = await loadTokenCounter(tokenizerSpecFor(args.tokenizer, args.maxSeqLen), nodeTokenizerFiles);
  if (counter.note) console.error(`brightrun validate: ${shown(counter.note)}`);
  let validationSet: ValidationSet | undefined;
  if (args.val) {
    try {
      validationSet = await loadValidationSet(nodeDatasetFiles, args.val);
    } catch (error) {
      console.error(`brightrun validate: cannot read the validation file ${shown(args.val)}: ${shown(reason(error))}`);
      return 2;
    }
  }
  const reports: FileReport[] = [];
  const rangeWorkers = bundledValidationWorkers();
  let unreadable = false;
  for (const file of args.files) {
    try {
      const progress = process.stderr.isTTY && !args.json ? progressPrinter(file) : undefined;
      const options = {
        files: nodeDatasetFiles,
        maxSeqLen: args.maxSeqLen,
        tokenCounter: counter,
        validationSet,
        severityOverrides: args.severity,
        workers: args.workers,
        rangeWorkers,
      };
      reports.push(await validateFile(file, options, progress));
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
  console.log(
    `  tokens: ${formatTokens(t.total)} total, ${formatTokens(t.assistant)} trained; per example p50 ${t.p50}, p95 ${t.p95}, max ${t.max} (${shown(s.tokenizer)})`,
  );
  console.log(`  over max_seq_len ${s.maxSeqLen}: ${s.examplesOverMaxSeqLen}; padding waste without packing: ${(100 * s.paddingWaste).toFixed(0)}%`);
  if (s.preference) console.log(`  ${preferenceLine(s.preference)}`);
  if (price !== undefined) console.log(`  ${costPerEpoch(s, price).line}`);
  console.log(`  ${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info(s)`);
}
