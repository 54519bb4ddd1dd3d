// Applies a sweep's early stop while its runs train: at each evaluation of a run that belongs to a sweep with
// `earlyStop`, its eval-loss curve is compared with the other runs' (medianStop.ts), and a run that falls
// behind is cancelled with a checkpoint, its stop reason recorded. Whichever process follows the runs (the
// editor, or `brightrun train --follow`) applies it; a run is stopped once.
import { TERMINAL_STATES } from '../../contracts/status';
import type { RunRegistry } from '../runs/runRegistry';
import type { RunInfo } from '../runs/runInfo';
import { evalCurve, medianStopReason, type EvalPoint } from './medianStop';

export type SupervisedRuns = Pick<RunRegistry, 'get' | 'list' | 'events' | 'cancel' | 'onDidAppendEvents'>;

export interface SupervisorHooks {
  /** A run was stopped early; `reason` says why, in words. */
  onStopped?(run: RunInfo, reason: string): void;
  onError?(run: RunInfo, error: unknown): void;
}

export class SweepSupervisor {
  private readonly stopped = new Set<string>();
  /** Curves of runs that ended: they no longer change. */
  private readonly endedCurves = new Map<string, EvalPoint[]>();
  private checks: Promise<void> = Promise.resolve();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly runs: SupervisedRuns,
    private readonly hooks: SupervisorHooks = {},
  ) {
    this.subscription = runs.onDidAppendEvents(({ runId, events }) => {
      if (!events.some((event) => event.type === 'eval')) return;
      // One check at a time: two runs evaluated together are judged one after the other.
      this.checks = this.checks.then(() => this.check(runId));
    });
  }

  /** Resolves once every check started so far is done (tests, and a CLI about to exit). */
  idle(): Promise<void> {
    return this.checks;
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async check(runId: string): Promise<void> {
    const run = this.runs.get(runId);
    const rule = run?.sweep?.earlyStop;
    if (!run || !rule || this.stopped.has(runId) || TERMINAL_STATES.includes(run.state)) return;
    try {
      const curve = evalCurve(await this.runs.events(runId));
      const peers = this.runs.list().filter((other) => other.sweep?.id === run.sweep!.id && other.id !== runId);
      const others = await Promise.all(peers.map((peer) => this.curveOf(peer)));
      const reason = medianStopReason(curve, others, rule);
      if (!reason || this.stopped.has(runId)) return;
      this.stopped.add(runId);
      await this.runs.cancel(runId, reason);
      this.hooks.onStopped?.(this.runs.get(runId) ?? run, reason);
    } catch (error) {
      this.hooks.onError?.(run, error);
    }
  }

  private async curveOf(run: RunInfo): Promise<EvalPoint[]> {
    const kept = this.endedCurves.get(run.id);
    if (kept) return kept;
    const curve = evalCurve(await this.runs.events(run.id).catch(() => []));
    if (TERMINAL_STATES.includes(run.state)) this.endedCurves.set(run.id, curve);
    return curve;
  }
}
