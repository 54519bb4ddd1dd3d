// Live cost and the budget stop. Cost is GPU time actually held (every attempt, start to end) x price x GPUs;
// the projection adds the remaining steps at the speed measured in the current attempt.

export interface Attempt {
  startedAt: string;
  endedAt: string | null;
}

export function gpuSeconds(attempts: readonly Attempt[], nowMs: number): number {
  let total = 0;
  for (const a of attempts) {
    const start = Date.parse(a.startedAt);
    const end = a.endedAt ? Date.parse(a.endedAt) : nowMs;
    if (Number.isFinite(start) && Number.isFinite(end) && end > start) total += (end - start) / 1000;
  }
  return total;
}

export function costUsd(seconds: number, pricePerGpuHour: number | undefined, gpus: number): number | null {
  return pricePerGpuHour === undefined ? null : (seconds / 3600) * pricePerGpuHour * gpus;
}

export interface Progress {
  step: number;
  totalSteps: number | null;
  /** Seconds per optimizer step in the current attempt, null until measured. */
  secondsPerStep: number | null;
}

/** What the whole run will cost at the current speed, or null when it cannot be told yet. */
export function projectedCostUsd(costSoFar: number | null, progress: Progress, pricePerGpuHour: number | undefined, gpus: number): number | null {
  if (costSoFar === null || pricePerGpuHour === undefined) return null;
  if (progress.totalSteps === null || progress.secondsPerStep === null) return null;
  const remaining = Math.max(0, progress.totalSteps - progress.step);
  return costSoFar + (costUsd(remaining * progress.secondsPerStep, pricePerGpuHour, gpus) ?? 0);
}

/** A StepClock's samples, as persisted with the run's progress. */
export interface ClockSamples {
  first: { t: number; step: number } | null;
  last: { t: number; step: number } | null;
}

/** Measures seconds per step from (time, step) samples of the current attempt; needs two distinct steps. */
export class StepClock {
  private first: { t: number; step: number } | null = null;
  private last: { t: number; step: number } | null = null;

  reset(): void {
    this.first = this.last = null;
  }

  save(): ClockSamples {
    return { first: this.first, last: this.last };
  }

  static restore(saved: ClockSamples): StepClock {
    const clock = new StepClock();
    clock.first = saved.first;
    clock.last = saved.last;
    return clock;
  }

  record(timeMs: number, step: number): void {
    if (!Number.isFinite(timeMs)) return;
    if (!this.first) this.first = { t: timeMs, step };
    this.last = { t: timeMs, step };
  }

  get secondsPerStep(): number | null {
    if (!this.first || !this.last || this.last.step <= this.first.step) return null;
    return (this.last.t - this.first.t) / 1000 / (this.last.step - this.first.step);
  }
}

export interface BudgetVerdict {
  exceeded: boolean;
  reason: string | null;
}

export function checkBudget(budgetUsd: number | undefined, costSoFar: number | null, projected: number | null): BudgetVerdict {
  if (budgetUsd === undefined || costSoFar === null) return { exceeded: false, reason: null };
  const money = (n: number) => `$${n.toFixed(2)}`;
  if (costSoFar >= budgetUsd) {
    return { exceeded: true, reason: `budget reached: ${money(costSoFar)} spent of ${money(budgetUsd)}; stopped with a checkpoint` };
  }
  if (projected !== null && projected > budgetUsd) {
    return {
      exceeded: true,
      reason: `budget would be passed: projected ${money(projected)} > budget ${money(budgetUsd)}; stopped with a checkpoint (resume with a larger budget to finish)`,
    };
  }
  return { exceeded: false, reason: null };
}
