// Running the trainer's `evaluate` on the host where a run's adapter lives (local or SSH, through the Host
// interface) and reading the report it prints or left beside the adapter. Shared by the CLI and the editor.
import { posix } from 'node:path';
import type { HostSession } from '../runs/hostRegistry';
import { parseToolOutput, toolFailure } from '../runs/toolOutput';
import { EvalReport } from '../../contracts/evalReport';

export const EVAL_REPORT_FILE = 'eval.json';
export const EVAL_MARKDOWN_FILE = 'EVAL.md';

export interface EvaluationTarget {
  id: string;
  host: string;
  runDir: string;
}

export interface EvaluateOptions {
  /** A prompt set on this machine ({"prompt", "reference"?, "system"?} per line); uploaded first to an SSH host. */
  promptsFile?: string;
  maxPrompts?: number;
  maxNewTokens?: number;
}

export class EvaluationError extends Error {}

/** The report from `evaluate`'s stdout, or the failure it reported (its error event, else its last words). */
export function parseEvaluateOutput(stdout: string, stderr = ''): EvalReport {
  const output = parseToolOutput(stdout);
  let report: EvalReport | null = null;
  let mismatch: string | null = null;
  for (const object of output.objects) {
    const parsed = EvalReport.safeParse(object);
    if (parsed.success) report = parsed.data;
    else mismatch ??= `the evaluation printed a report that does not match its schema: ${parsed.error.issues[0]?.message ?? ''}`;
  }
  if (report) return report;
  const reportedError = output.events.some((event) => event.type === 'error');
  throw new EvaluationError(reportedError || !mismatch ? toolFailure(output, stderr, 'the evaluation ended without a report') : mismatch);
}

/** The trainer's command line for one evaluation (the prompt set already on the host). */
export function evaluateArgs(runDir: string, promptsOnHost: string | undefined, options: EvaluateOptions): string[] {
  return [
    'evaluate',
    '--run-dir',
    runDir,
    ...(promptsOnHost ? ['--prompts', promptsOnHost] : []),
    ...(options.maxPrompts !== undefined ? ['--max-prompts', String(options.maxPrompts)] : []),
    ...(options.maxNewTokens !== undefined ? ['--max-new-tokens', String(options.maxNewTokens)] : []),
  ];
}

/** Runs the evaluation on the run's host; the report is also written there beside the adapter. */
export async function evaluateRun(session: HostSession, run: EvaluationTarget, options: EvaluateOptions = {}): Promise<EvalReport> {
  const { host } = session;
  let promptsOnHost: string | undefined;
  if (options.promptsFile) {
    if (host.kind === 'local') promptsOnHost = options.promptsFile;
    else {
      promptsOnHost = posix.join(run.runDir, 'eval-prompts.jsonl');
      await host.upload(options.promptsFile, promptsOnHost);
    }
  }
  const runtime = await session.runtime();
  const result = await host.exec([runtime.python, '-m', 'brightrun_trainer', ...evaluateArgs(run.runDir, promptsOnHost, options)], {
    env: runtime.env,
    cwd: run.runDir,
  });
  const report = parseEvaluateOutput(result.stdout, result.stderr);
  if (result.code !== 0) throw new EvaluationError(`the evaluation exited with code ${result.code}`);
  return report;
}

/** The report left beside an adapter (by training or an earlier evaluation), or null when there is none. */
export async function readEvalReport(session: HostSession, adapterPath: string): Promise<EvalReport | null> {
  const path = posix.join(adapterPath, EVAL_REPORT_FILE);
  if (!(await session.host.stat(path))) return null;
  return parseEvalReportText((await session.host.readFile(path)).toString('utf8'), path);
}

export function parseEvalReportText(text: string, where: string): EvalReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EvaluationError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = EvalReport.safeParse(value);
  if (!parsed.success)
    throw new EvaluationError(`${where} is not an evaluation report: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
