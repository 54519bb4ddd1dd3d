// Sweeps in the terminal: the runs a sweep launched, its ranking by its metric (the best marked), and following
// every run of a sweep until all have ended. Shared by `brightrun train` (a config with a sweep) and
// `brightrun sweeps`.
import type { HostRegistry, RunInfo, RunRegistry } from '../core/runs';
import { TERMINAL_STATES } from '../contracts/status';
import { readEvalReport } from '../core/evaluation/runEvaluation';
import { parameterWords } from '../core/sweeps/expandSweep';
import {
  formatMetric,
  metricValue,
  needsEvalReport,
  rankSweep,
  summarizeSweep,
  sweepProgressText,
  type RankedRun,
  type SweepSummary,
} from '../core/sweeps/rankSweep';
import { SweepSupervisor } from '../core/sweeps/sweepSupervisor';
import { escapeForTerminal as shown } from './terminalText';

export interface RankedSweep {
  sweep: SweepSummary;
  runs: (RankedRun & { name: string | null; parameters: Record<string, number> })[];
}

/** Each run's metric value: from its progress, or from the evaluation report beside its adapter. */
export async function metricValues(hosts: HostRegistry, members: readonly RunInfo[]): Promise<Map<string, number | null>> {
  const values = new Map<string, number | null>();
  for (const run of members) {
    const metric = run.sweep!.metric;
    let report = null;
    if (needsEvalReport(metric) && run.state === 'completed' && run.adapterPath) {
      report = await readEvalReport(await hosts.get(run.host), run.adapterPath).catch(() => null);
    }
    values.set(run.id, metricValue(metric, run, report));
  }
  return values;
}

export function rankedSweep(members: readonly RunInfo[], values: ReadonlyMap<string, number | null>): RankedSweep {
  const sweep = summarizeSweep(members, (run) => values.get(run.id) ?? null);
  const byId = new Map(members.map((run) => [run.id, run]));
  const ranked = rankSweep(
    members.map((run) => ({ runId: run.id, state: run.state, sweep: run.sweep!, value: values.get(run.id) ?? null })),
    sweep.goal,
  );
  return { sweep, runs: ranked.map((run) => ({ ...run, name: byId.get(run.runId)!.config.name, parameters: run.sweep.parameters })) };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n');
}

/** The ranking as a table, best first and marked with a star; runs without a value last. */
export function rankingLines(ranked: RankedSweep, members: readonly RunInfo[]): string[] {
  const { sweep } = ranked;
  const byId = new Map(members.map((run) => [run.id, run]));
  const rows = ranked.runs.map((run) => {
    const info = byId.get(run.runId)!;
    const state = info.stopReason?.startsWith('stopped early') ? 'stopped early' : run.state;
    return [
      run.best ? '★' : run.rank === null ? '-' : String(run.rank),
      run.runId,
      state,
      parameterWords(run.parameters),
      run.value === null ? '-' : formatMetric(run.value),
    ];
  });
  const goal = sweep.goal === 'min' ? 'lower is better' : 'higher is better';
  const header = `Sweep ${sweep.id} "${sweep.name}": ${sweepProgressText(sweep)} (ranked by ${sweep.metric}, ${goal})`;
  const lines = [
    header,
    ...table([['RANK', 'RUN', 'STATE', 'PARAMETERS', sweep.metric.toUpperCase()], ...rows])
      .split('\n')
      .map((line) => `  ${line}`),
  ];
  if (sweep.best) lines.push(`Best: ${sweep.best.runId} (${parameterWords(sweep.best.sweep.parameters)}), ${sweep.metric} ${formatMetric(sweep.best.value!)}`);
  return lines.map(shown);
}

/** One line per sweep, newest first. */
export function sweepListLines(summaries: readonly SweepSummary[]): string[] {
  const rows = summaries.map((s) => [
    s.id,
    s.name,
    `${s.ended}/${s.runs}`,
    s.metric,
    s.best ? `${parameterWords(s.best.sweep.parameters)} ${formatMetric(s.best.value!)}` : '-',
  ]);
  return table([['SWEEP', 'NAME', 'DONE', 'METRIC', 'BEST'], ...rows])
    .split('\n')
    .map(shown);
}

/** Follows every run of the sweep until all have ended (early stop applied meanwhile), printing each end.
 *  Resolves 'detached' on Ctrl-C (the runs go on). */
export async function followSweep(registry: RunRegistry, sweepId: string): Promise<'ended' | 'detached'> {
  const members = () => registry.list().filter((run) => run.sweep?.id === sweepId);
  const supervisor = new SweepSupervisor(registry, {
    onStopped: (run, reason) => console.log(shown(`Run ${run.id} (${parameterWords(run.sweep!.parameters)}): ${reason}`)),
    onError: (run, error) => console.error(shown(`brightrun: early stop of run ${run.id} failed: ${(error as Error).message}`)),
  });
  let onInterrupt: () => void = () => {};
  const interrupted = new Promise<'detached'>((resolve) => {
    onInterrupt = () => resolve('detached');
    process.once('SIGINT', onInterrupt);
  });
  try {
    const pending = members().filter((run) => !TERMINAL_STATES.includes(run.state));
    for (const run of pending) await registry.follow(run.id);
    console.log(`Following ${pending.length} run(s) of sweep ${sweepId} until they end (Ctrl-C detaches; the runs go on).`);
    const ended = Promise.all(
      pending.map(async (run) => {
        const end = await registry.waitForEnd(run.id);
        const loss = end.evalLoss === null ? '' : `, eval loss ${formatMetric(end.evalLoss)}`;
        console.log(shown(`  run ${end.sweep!.index + 1}/${end.sweep!.size} ${end.id} (${parameterWords(end.sweep!.parameters)}) ${end.state}${loss}`));
      }),
    ).then(() => 'ended' as const);
    const outcome = await Promise.race([ended, interrupted]);
    await supervisor.idle();
    if (outcome === 'detached') {
      for (const run of members()) registry.detach(run.id);
      console.log(`\nDetached. The sweep's runs keep going; see them with: brightrun sweeps ${sweepId}`);
    }
    return outcome;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    supervisor.dispose();
  }
}
