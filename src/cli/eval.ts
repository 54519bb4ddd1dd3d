// `brightrun eval RUN [--prompts FILE] [--json]`: the adapter of a completed run against its base model, measured
// on the host that holds it (validation and general-text perplexity, answers to prompts, quality gates). The
// report is also written there beside the adapter (eval.json, EVAL.md) and kept in the run's local mirror.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliCommand } from './dispatch';
import { writeFileAtomic } from '../platform/localHost';
import { parseArgs, UsageError } from './runArgs';
import { findRun, openCliRegistry } from './cliContext';
import { escapeForTerminal as shown, escapeJsonForTerminal } from './terminalText';
import type { RunInfo } from '../core/runs';
import type { EvalReport } from '../contracts/evalReport';
import { EVAL_REPORT_FILE, evaluateRun, type EvaluateOptions } from '../core/evaluation/runEvaluation';
import { betterSide, formatChange, formatScore, gatesSummary, scorecardRows } from '../shared/scorecard';

const USAGE = 'brightrun eval RUN [--prompts FILE] [--max-prompts N] [--max-new-tokens N] [--json]';

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} must be a positive whole number, not '${value}'`);
  return Number(value);
}

function parse(args: string[]): { run: string; json: boolean; options: EvaluateOptions } {
  const parsed = parseArgs(args, { flags: ['--json'], options: ['--prompts', '--max-prompts', '--max-new-tokens'] });
  if (parsed.positionals.length !== 1) throw new UsageError('expected one run (an id, a prefix, or `last`)');
  const prompts = parsed.options.get('--prompts');
  if (prompts !== undefined && !(existsSync(prompts) && statSync(prompts).isFile())) {
    throw new UsageError(`the prompt set ${prompts} does not exist; give a JSONL file with one {"prompt": ..., "reference": ...} per line`);
  }
  return {
    run: parsed.positionals[0],
    json: parsed.flags.has('--json'),
    options: {
      promptsFile: prompts === undefined ? undefined : resolve(prompts),
      maxPrompts: positiveInt('--max-prompts', parsed.options.get('--max-prompts')),
      maxNewTokens: positiveInt('--max-new-tokens', parsed.options.get('--max-new-tokens')),
    },
  };
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ').trimEnd());
}

/** The scorecard a person reads in a terminal. */
export function scorecardText(report: EvalReport, info: Pick<RunInfo, 'id' | 'host'>): string[] {
  const rows = scorecardRows(report).map((row) => {
    const better = betterSide(row);
    return [row.label, formatScore(row.base, row.unit), formatScore(row.adapter, row.unit), formatChange(row), better ? `${better} better` : ''];
  });
  const prompts = report.prompts;
  const source = prompts.source === 'validation' ? 'the validation examples' : prompts.source;
  return [
    `Evaluation of ${shown(info.id)} on ${shown(info.host)}: base model ${shown(report.base_model)} against base + adapter`,
    `Prompts: ${prompts.count} from ${shown(source)} (${prompts.with_reference} with a reference), greedy, at most ${prompts.max_new_tokens} new tokens`,
    '',
    ...table([['', 'Base', 'Adapter', 'Change', ''], ...rows]),
    '',
    ...report.gates.map((gate) => `${gate.passed ? 'PASS' : 'FAIL'}  ${gate.name}: ${shown(gate.detail)}`),
    gatesSummary(report),
    `Report: ${shown(report.adapter_path)}/eval.json and EVAL.md on ${shown(info.host)} (${report.wall_s.toFixed(0)} s)`,
  ];
}

/** A copy of the report in the run's local mirror, so Compare Runs shows it without reaching the host. */
async function keepLocalCopy(info: RunInfo, report: EvalReport): Promise<void> {
  mkdirSync(info.mirrorDir, { recursive: true });
  await writeFileAtomic(join(info.mirrorDir, EVAL_REPORT_FILE), JSON.stringify(report, null, 2) + '\n');
}

export const command: CliCommand = {
  summary: 'compare a run\'s adapter with its base model: perplexity, task metrics, retention and quality gates',
  usage: USAGE,
  async run(args) {
    let request;
    try {
      request = parse(args);
    } catch (error) {
      console.error(`brightrun eval: ${shown((error as Error).message)}\nusage: ${USAGE}`);
      return 2;
    }
    const { registry, hosts } = await openCliRegistry(false);
    try {
      let info: RunInfo;
      try {
        info = findRun(registry, request.run);
      } catch (error) {
        console.error(`brightrun eval: ${shown((error as Error).message)}`);
        return 2;
      }
      if (info.state !== 'completed' || !info.adapterPath) {
        console.error(`brightrun eval: run ${shown(info.id)} is ${info.state} and has no adapter to evaluate; only completed runs do.`);
        return 2;
      }
      console.error(`Evaluating the adapter of ${shown(info.id)} on ${shown(info.host)}…`);
      let report: EvalReport;
      try {
        const session = await hosts.get(info.host);
        report = await evaluateRun(session, { id: info.id, host: info.host, runDir: info.runDir }, request.options);
      } catch (error) {
        console.error(`brightrun eval: the evaluation of ${shown(info.id)} failed: ${shown((error as Error).message)}`);
        return 1;
      }
      try {
        await keepLocalCopy(info, report);
      } catch (error) {
        console.error(`brightrun: warning: the local copy of the report could not be written (${shown((error as Error).message)})`);
      }
      if (request.json) console.log(escapeJsonForTerminal(JSON.stringify(report, null, 2)));
      else for (const line of scorecardText(report, info)) console.log(line);
      return report.passed ? 0 : 1;
    } finally {
      registry.dispose();
      hosts.dispose();
    }
  },
};
