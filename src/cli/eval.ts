// `brightrun eval RUN [--prompts FILE] [--json]`: the adapter of a completed run against its base model, measured
// on the host that holds it (validation and general-text perplexity, answers to prompts, quality gates). The
// report is also written there beside the adapter (eval.json, EVAL.md) and kept in the run's local mirror.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../platform/localHost';
import { UsageError, type CommandArgs, type CommandHandler } from './commandArgs';
import { withNamedRun } from './namedRun';
import { escapeForTerminal as shown, escapeJsonForTerminal } from './terminalText';
import type { RunInfo } from '../core/runs';
import type { EvalReport } from '../contracts/evalReport';
import { EVAL_REPORT_FILE, evaluateRun, type EvaluateOptions } from '../core/evaluation/runEvaluation';
import { betterSide, formatChange, formatScore, gatesSummary, scorecardRows } from '../shared/scorecard';

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} must be a positive whole number, not '${value}'`);
  return Number(value);
}

function evaluateOptions(args: CommandArgs): EvaluateOptions {
  const prompts = args.value('prompts');
  if (prompts !== undefined && !(existsSync(prompts) && statSync(prompts).isFile())) {
    throw new UsageError(`the prompt set ${prompts} does not exist; give a JSONL file with one {"prompt": ..., "reference": ...} per line`);
  }
  return {
    promptsFile: prompts === undefined ? undefined : resolve(prompts),
    maxPrompts: positiveInt('--max-prompts', args.value('max-prompts')),
    maxNewTokens: positiveInt('--max-new-tokens', args.value('max-new-tokens')),
  };
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('   ')
      .trimEnd(),
  );
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

export const run: CommandHandler = async (args) => {
  const options = evaluateOptions(args);
  return withNamedRun('eval', args.positionals[0], async ({ info, hosts }) => {
    if (info.state !== 'completed' || !info.adapterPath) {
      console.error(`brightrun eval: run ${shown(info.id)} is ${info.state} and has no adapter to evaluate; only completed runs do.`);
      return 2;
    }
    console.error(`Evaluating the adapter of ${shown(info.id)} on ${shown(info.host)}…`);
    let report: EvalReport;
    try {
      const session = await hosts.get(info.host);
      report = await evaluateRun(session, { id: info.id, host: info.host, runDir: info.runDir }, options);
    } catch (error) {
      console.error(`brightrun eval: the evaluation of ${shown(info.id)} failed: ${shown((error as Error).message)}`);
      return 1;
    }
    try {
      await keepLocalCopy(info, report);
    } catch (error) {
      console.error(`brightrun: warning: the local copy of the report could not be written (${shown((error as Error).message)})`);
    }
    if (args.flag('json')) console.log(escapeJsonForTerminal(JSON.stringify(report, null, 2)));
    else for (const line of scorecardText(report, info)) console.log(line);
    return report.passed ? 0 : 1;
  });
};
