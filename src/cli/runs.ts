// `brightrun runs [--json]`: every run this CLI started, on every host, with its true state (runs still going
// are checked with their host first). `--remove RUN` forgets an ended run (its folder on the host stays).
import type { CommandHandler } from './commandArgs';
import { openCliRegistry } from './cliContext';
import { withNamedRun } from './namedRun';
import type { RunInfo } from '../core/runs';
import { escapeForTerminal as shown, escapeJsonForTerminal } from './terminalText';

function row(info: RunInfo): string[] {
  const num = (n: number | null) => (n === null ? '-' : n.toFixed(4));
  const cells = [
    info.id,
    info.host,
    info.queue ? `${info.state}, queued${info.queue.position === null ? '' : ` #${info.queue.position}`}` : info.state,
    `${info.step}/${info.totalSteps ?? '?'}`,
    num(info.loss),
    num(info.evalLoss),
    info.costUsd === null ? '-' : `$${info.costUsd.toFixed(2)}`,
    info.config.name ?? info.config.baseModel,
  ];
  // Names and hosts come from configs and host settings: one cell never spans or repaints more than itself.
  return cells.map(shown);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n');
}

async function removeRun(name: string): Promise<number> {
  return withNamedRun('runs', name, async ({ info: run, registry }) => {
    try {
      // A run recorded as running may have ended meanwhile: ask its host before refusing.
      if (run.state === 'starting' || run.state === 'running') await registry.sync(run.id).catch(() => {});
      await registry.remove(run.id);
      console.log(`Removed run ${run.id} from the list (its folder on ${shown(run.host)} is kept: ${shown(run.runDir)}).`);
      return 0;
    } catch (error) {
      console.error(`brightrun runs: ${shown((error as Error).message)}`);
      return 1;
    }
  });
}

export const run: CommandHandler = async (args) => {
  const remove = args.value('remove');
  if (remove !== undefined) return removeRun(remove);
  const { registry, hosts } = await openCliRegistry(false);
  try {
    for (const info of registry.list()) {
      if (info.state === 'starting' || info.state === 'running') {
        await registry.sync(info.id).catch((error: unknown) => {
          console.error(`brightrun: cannot reach ${shown(info.host)} for run ${info.id}: ${shown((error as Error).message)}`);
        });
      }
    }
    const runs = registry.list();
    if (args.flag('json')) {
      console.log(escapeJsonForTerminal(JSON.stringify(runs, null, 2)));
    } else if (runs.length === 0) {
      console.log('No runs yet. Start one with: brightrun train CONFIG.brightrun.json --follow');
    } else {
      console.log(table([['RUN', 'HOST', 'STATE', 'STEP', 'LOSS', 'EVAL', 'COST', 'MODEL'], ...runs.map(row)]));
    }
    return 0;
  } finally {
    registry.dispose();
    hosts.dispose();
  }
};
