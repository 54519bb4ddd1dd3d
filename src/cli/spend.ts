// `brightrun spend [--json] [--month YYYY-MM] [--budget USD]`: what GPU time cost this month (or another), per
// day, week, host, project and run, with the monthly budget verdict. A report: it exits 0 whatever the spend;
// only bad input (a malformed month or budget) exits 2.
import type { CommandHandler } from './commandArgs';
import { UsageError } from './commandArgs';
import { openCliRegistry } from './cliContext';
import { checkMonth, computeSpend } from '../core/runs';
import type { SpendReport, SpendTotals } from '../contracts/spend';
import { budgetText, budgetWarningText, costText, gpuHoursText, monthTitle, projectText, unpricedNote } from '../shared/spendText';
import { escapeForTerminal as shown, escapeJsonForTerminal } from './terminalText';

/** The monthly budget in USD when --budget is not given. */
export const BUDGET_VARIABLE = 'BRIGHTRUN_MONTHLY_BUDGET_USD';

/** How many runs the table lists (the JSON has them all). */
const TOP_RUNS = 10;

function parseBudget(text: string, where: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${where} must be a number of USD, 0 or more (0: no budget), got '${text}'`);
  }
  return value;
}

function budgetOption(given: string | undefined): number | undefined {
  if (given !== undefined) return parseBudget(given, '--budget');
  const fromEnv = process.env[BUDGET_VARIABLE];
  if (fromEnv === undefined || fromEnv === '') return undefined;
  return parseBudget(fromEnv, BUDGET_VARIABLE);
}

function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  '));
}

function figures(t: SpendTotals): string[] {
  return [costText(t), gpuHoursText(t.gpuHours)];
}

function section(title: string, lines: string[]): string[] {
  return ['', title, ...lines.map((l) => `  ${l}`)];
}

export function spendText(report: SpendReport): string {
  const lines = [`GPU spend in ${monthTitle(report.month)} (UTC), as of ${report.now.slice(0, 16).replace('T', ' ')}`];
  lines.push(`Total: ${costText(report.total)} for ${gpuHoursText(report.total.gpuHours)} GPU-hours`);
  const note = unpricedNote(report.total);
  if (note) lines.push(`Note: ${note}`);
  if (report.budget) {
    const warning = budgetWarningText(report.budget, report.month);
    lines.push(`Budget: ${budgetText(report.budget)}${warning ? `\nWARNING: ${warning}` : ''}`);
  } else {
    lines.push(`Budget: none (set --budget USD or ${BUDGET_VARIABLE})`);
  }
  if (report.total.gpuHours === 0) {
    lines.push('', `No GPU time recorded in ${monthTitle(report.month)}.`);
  } else {
    const days = report.days.filter((d) => d.gpuHours > 0);
    lines.push(
      ...section(
        'By day',
        table(
          ['DAY', 'COST', 'GPU-H'],
          days.map((d) => [d.day, ...figures(d)]),
        ),
      ),
    );
    lines.push(
      ...section(
        'By ISO week',
        table(
          ['WEEK', 'DAYS', 'COST', 'GPU-H'],
          report.weeks.map((w) => [w.week, `${w.from.slice(5)}..${w.to.slice(5)}`, ...figures(w)]),
        ),
      ),
    );
    lines.push(
      ...section(
        'By host',
        table(
          ['HOST', 'RUNS', 'COST', 'GPU-H'],
          report.hosts.map((h) => [shown(h.host), String(h.runs), ...figures(h)]),
        ),
      ),
    );
    lines.push(
      ...section(
        'By project',
        table(
          ['PROJECT', 'RUNS', 'COST', 'GPU-H'],
          report.projects.map((p) => [shown(projectText(p.project)), String(p.runs), ...figures(p)]),
        ),
      ),
    );
    const top = report.runs.slice(0, TOP_RUNS);
    const title = report.runs.length > top.length ? `Top ${top.length} of ${report.runs.length} runs` : 'Runs';
    lines.push(
      ...section(
        title,
        table(
          ['RUN', 'HOST', 'PROJECT', 'GPUS', '$/GPU-H', 'COST', 'GPU-H', 'NAME'],
          top.map((r) => [
            r.id,
            shown(r.host),
            shown(projectText(r.project)),
            String(r.gpus),
            r.pricePerGpuHour === null ? 'none' : r.pricePerGpuHour.toFixed(2),
            ...figures(r),
            shown(r.name ?? ''),
          ]),
        ),
      ),
    );
  }
  if (report.months.length > 0) {
    lines.push(
      ...section(
        'By month (all runs)',
        table(
          ['MONTH', 'COST', 'GPU-H'],
          report.months.map((m) => [m.month, ...figures(m)]),
        ),
      ),
    );
  }
  return lines.join('\n');
}

export const run: CommandHandler = async (args) => {
  const month = args.value('month');
  if (month !== undefined) {
    const problem = checkMonth(month);
    if (problem) throw new UsageError(problem);
  }
  const budgetUsd = budgetOption(args.value('budget'));
  const { registry, hosts } = await openCliRegistry(false);
  try {
    // A run recorded as going may have ended meanwhile: its host tells when, so it is not counted up to now.
    for (const info of registry.list()) {
      if (info.state === 'starting' || info.state === 'running') {
        await registry.sync(info.id).catch((error: unknown) => {
          console.error(`brightrun: cannot reach ${shown(info.host)} for run ${info.id} (counted up to now): ${shown((error as Error).message)}`);
        });
      }
    }
    const report = computeSpend(registry.spendRuns(), { now: new Date(), month, budgetUsd });
    console.log(args.flag('json') ? escapeJsonForTerminal(JSON.stringify(report, null, 2)) : spendText(report));
    return 0;
  } finally {
    registry.dispose();
    hosts.dispose();
  }
};
