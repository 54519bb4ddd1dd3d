// Spend benchmark: the spend report (computeSpend: days, weeks, months, hosts, projects, runs, budget) over a year
// of runs with three attempts each, against the baseline of the run list's own cost (gpuSeconds x price for
// every run) over the same runs, measured in the same process. Prints the ratio and the time per attempt at
// 10x more runs (linear: about the same).
//   npm run bench:spend [-- --runs 20000]
import { computeSpend, type SpendRun } from '../../src/core/runs/spend';
import { costUsd, gpuSeconds } from '../../src/core/runs/cost';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 20_000);
const NOW = new Date('2026-12-03T12:00:00Z');

/** `count` runs spread over 2026, each with three attempts of 90 minutes, some across midnight. */
function runs(count: number): SpendRun[] {
  const year = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const start = year + i * ((330 * 86_400_000) / count) + 22 * 3_600_000;
    return {
      id: `r${i}`,
      name: null,
      host: `host-${i % 5}`,
      project: i % 3 === 0 ? null : `project-${i % 7}`,
      state: 'completed' as const,
      gpus: 1 + (i % 8),
      pricePerGpuHour: i % 10 === 0 ? null : 2.5,
      attempts: [0, 1, 2].map((k) => ({
        startedAt: new Date(start + k * 7_200_000).toISOString(),
        endedAt: new Date(start + k * 7_200_000 + 5_400_000).toISOString(),
      })),
    };
  });
}

/** Median milliseconds of `rounds` calls, after two warm-up calls. */
function time(fn: () => unknown, rounds = 7): number {
  fn();
  fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

const small = runs(RUNS / 10);
const large = runs(RUNS);
const report = (of: SpendRun[]) => computeSpend(of, { now: NOW, budgetUsd: 500 });
const baseline = (of: SpendRun[]) => {
  let total = 0;
  for (const run of of) total += costUsd(gpuSeconds(run.attempts, NOW.getTime()), run.pricePerGpuHour ?? undefined, run.gpus) ?? 0;
  return total;
};

const spendLarge = time(() => report(large));
const baseLarge = time(() => baseline(large));
const spendSmall = time(() => report(small));
const perAttempt = (ms: number, n: number) => (ms * 1000) / (n * 3);
console.log(`spend report, ${RUNS} runs (${RUNS * 3} attempts): ${spendLarge.toFixed(1)} ms; run-list cost of the same runs: ${baseLarge.toFixed(1)} ms`);
console.log(`ratio spend / run-list cost: ${(spendLarge / baseLarge).toFixed(2)}`);
console.log(
  `per attempt: ${perAttempt(spendSmall, RUNS / 10).toFixed(2)} us at ${RUNS / 10} runs, ${perAttempt(spendLarge, RUNS).toFixed(2)} us at ${RUNS} runs ` +
    `(ratio ${(perAttempt(spendLarge, RUNS) / perAttempt(spendSmall, RUNS / 10)).toFixed(2)}; linear is about 1)`,
);
