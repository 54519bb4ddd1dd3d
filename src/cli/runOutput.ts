// Printing a run in the terminal: live event lines while following, and the summary at the end.
import type { RunEvent } from '../contracts/events';
import { formatEvent, type RunInfo, type RunRegistry } from '../core/runs';
import { queueText } from '../core/runs/runInfo';
import { escapeForTerminal as shown, escapeStrings } from './terminalText';

const money = (n: number | null) => (n === null ? '-' : `$${n.toFixed(2)}`);
const num = (n: number | null, digits = 4) => (n === null ? '-' : n.toFixed(digits));

/** Prints events as lines; the latest eval loss so far rides along on each metrics line, so one line tells
 *  the whole state. Keep one printer per run so that state carries across batches. */
export function eventPrinter(currentInfo: () => RunInfo | undefined, out: (line: string) => void = console.log): (events: readonly RunEvent[]) => void {
  let evalLoss: number | null = null;
  return (events) => {
    for (const event of events) {
      if (event.type === 'eval') evalLoss = event.eval_loss;
      if (event.type === 'log' && event.level === 'debug') continue;
      // Events come from the host: their text (log lines, error messages, paths) is escaped before formatting,
      // so only the line breaks formatEvent itself adds reach the terminal.
      out(formatEvent(escapeStrings(event), { costUsd: currentInfo()?.costUsd ?? null, evalLoss }));
    }
  };
}

export function summaryLines(run: RunInfo): string[] {
  const info = escapeStrings(run);
  const lines = [
    `Run ${info.id} ${info.state} on ${info.host}: step ${info.step}${info.totalSteps !== null ? `/${info.totalSteps}` : ''}, ` +
      `loss ${num(info.loss)}, eval loss ${num(info.evalLoss)}, cost ${money(info.costUsd)}`,
  ];
  const queued = queueText(info);
  if (queued && (info.state === 'starting' || info.state === 'running')) lines.push(`  ${queued}`);
  if (info.stopReason) lines.push(`  stopped by BrightRun: ${info.stopReason}`);
  else if (info.exitReason && info.state !== 'completed') lines.push(`  reason: ${info.exitReason}`);
  if (info.state === 'completed' && info.adapterPath) {
    lines.push(`  adapter: ${info.adapterPath}${info.host === 'local' ? '' : ` (on ${info.host})`}`);
    lines.push('  load it with peft:');
    lines.push('    from peft import AutoPeftModelForCausalLM');
    lines.push(`    model = AutoPeftModelForCausalLM.from_pretrained(${JSON.stringify(info.adapterPath)})`);
  }
  if (info.state === 'cancelled' || info.state === 'failed') lines.push(`  resume from its last checkpoint: brightrun resume ${info.id}`);
  return lines;
}

export type FollowOutcome = { kind: 'ended'; info: RunInfo } | { kind: 'detached' };

/** Prints a run's events live until it ends or the user presses Ctrl-C (which detaches, never stops it). */
export async function followInTerminal(
  registry: RunRegistry,
  runId: string,
  print: (events: readonly RunEvent[]) => void = eventPrinter(() => registry.get(runId)),
): Promise<FollowOutcome> {
  const subscription = registry.onDidAppendEvents(({ runId: id, events }) => {
    if (id === runId) print(events);
  });
  let lastQueued: string | null = null;
  const notices = registry.onDidChange((change) => {
    // While the run waits in its host's queue, each change of its place is a line.
    const queued = change.run.id === runId && change.kind === 'updated' ? queueText(change.run) : null;
    if (queued && queued !== lastQueued) console.log(shown(queued));
    if (change.run.id === runId && change.kind === 'updated') lastQueued = queued;
    if (change.kind === 'notice' && change.run.id === runId && change.severity !== 'info' && !change.message.startsWith(`Run ${runId} `)) {
      console.error(`brightrun: ${shown(change.message)}`);
    }
  });
  let onInterrupt: () => void = () => {};
  const interrupted = new Promise<FollowOutcome>((resolve) => {
    onInterrupt = () => resolve({ kind: 'detached' });
    process.once('SIGINT', onInterrupt);
  });
  try {
    await registry.follow(runId);
    const ended = registry.waitForEnd(runId).then((info): FollowOutcome => ({ kind: 'ended', info }));
    const outcome = await Promise.race([ended, interrupted]);
    if (outcome.kind === 'detached') {
      registry.detach(runId);
      console.log(`\nDetached. Run ${runId} keeps going; re-attach with: brightrun logs ${runId} -f   (stop it: brightrun cancel ${runId})`);
    }
    return outcome;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    subscription.dispose();
    notices.dispose();
  }
}

export function exitCodeOf(outcome: FollowOutcome): number {
  return outcome.kind === 'detached' || outcome.info.state === 'completed' ? 0 : 1;
}
