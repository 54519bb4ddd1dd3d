// A config with a `sweep` block becomes N run configs, one per combination: the same config with the sweep's
// values in `hyperparameters`, a name that says them ("tune lr=2e-4 r=16") and no sweep block. Deterministic:
// grids in a fixed order (the last parameter varies fastest), random draws from a seeded generator.
import type { RunConfigFile } from '../../contracts/runConfigFile';
import {
  DEFAULT_GOALS,
  gridSizeProblem,
  INTEGER_PARAMETERS,
  SWEEP_PARAMETERS,
  type ParameterSpec,
  type SweepGoal,
  type SweepParameter,
  type SweepSettings,
} from '../../contracts/sweep';
import type { SweepMembership } from './sweepMembership';
import { sweepConfigProblems } from '../../contracts/sweepProblems';
import { seededRandom } from '../seededRandom';

export class SweepError extends Error {}

export interface SweepChild {
  config: RunConfigFile;
  membership: SweepMembership;
}

/** Short names for run names: "lr=2e-4 r=16 alpha=32 epochs=2 bs=4". */
const SHORT_NAMES: Readonly<Record<SweepParameter, string>> = { learningRate: 'lr', loraR: 'r', loraAlpha: 'alpha', epochs: 'epochs', batchSize: 'bs' };

/** 2e-4 rather than 0.0002; whole numbers as they are; otherwise at most 4 significant digits. */
export function formatParameterValue(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const rounded = Number(value.toPrecision(4));
  return Math.abs(rounded) < 0.01 ? rounded.toExponential() : String(rounded);
}

export function parameterWords(parameters: Readonly<Record<string, number>>): string {
  return SWEEP_PARAMETERS.filter((name) => parameters[name] !== undefined)
    .map((name) => `${SHORT_NAMES[name]}=${formatParameterValue(parameters[name])}`)
    .join(' ');
}

export function sweepGoal(sweep: Pick<SweepSettings, 'metric' | 'goal'>): SweepGoal {
  return sweep.goal ?? DEFAULT_GOALS[sweep.metric];
}

function draw(name: SweepParameter, spec: ParameterSpec, random: () => number): number {
  if (Array.isArray(spec)) return spec[Math.floor(random() * spec.length)];
  const { min, max, scale } = spec;
  const u = random();
  const value = scale === 'log' ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
  // Integers stay integers; other values keep 3 significant digits, so the name says exactly what was trained.
  const shown = INTEGER_PARAMETERS.has(name) ? Math.round(value) : Number(value.toPrecision(3));
  return Math.min(max, Math.max(min, shown));
}

function gridCombinations(listed: [SweepParameter, number[]][]): Record<string, number>[] {
  let combinations: Record<string, number>[] = [{}];
  for (const [name, values] of listed) combinations = combinations.flatMap((partial) => values.map((value) => ({ ...partial, [name]: value })));
  return combinations;
}

/** The parameter values of each run, in launch order. */
export function sweepCombinations(sweep: SweepSettings): Record<string, number>[] {
  const specs = SWEEP_PARAMETERS.flatMap((name): [SweepParameter, ParameterSpec][] => {
    const spec = sweep.parameters[name];
    return spec === undefined ? [] : [[name, spec]];
  });
  if (sweep.strategy === 'grid') {
    const lists = specs.map(([name, spec]): [SweepParameter, number[]] => {
      if (!Array.isArray(spec)) throw new SweepError(`a grid sweep needs a list of values for ${name}; ranges are for "strategy": "random"`);
      return [name, spec];
    });
    const problem = gridSizeProblem(Object.fromEntries(lists), sweep.maxRuns);
    if (problem) throw new SweepError(problem);
    return gridCombinations(lists);
  }
  if (sweep.maxRuns === undefined) throw new SweepError('a random sweep needs "maxRuns": how many runs to draw');
  const random = seededRandom(sweep.seed);
  return Array.from({ length: sweep.maxRuns }, () => Object.fromEntries(specs.map(([name, spec]) => [name, draw(name, spec, random)])));
}

export interface SweepIdentity {
  id: string;
  name: string;
}

/** The run configs of a sweep, each with its membership; throws SweepError for a sweep that cannot run. */
export function expandSweep(config: RunConfigFile, identity: SweepIdentity): SweepChild[] {
  const sweep = config.sweep;
  if (!sweep) throw new SweepError('the config has no "sweep" block');
  const problem = sweepConfigProblems(config)[0];
  if (problem) throw new SweepError(`${problem.path}: ${problem.message}`);
  const combinations = sweepCombinations(sweep);
  const { sweep: _omitted, ...base } = config;
  return combinations.map((parameters, index) => ({
    config: {
      ...base,
      name: `${identity.name} ${parameterWords(parameters)}`.slice(0, 200),
      hyperparameters: { ...base.hyperparameters, ...parameters },
    },
    membership: {
      id: identity.id,
      name: identity.name,
      index,
      size: combinations.length,
      parameters,
      metric: sweep.metric,
      goal: sweepGoal(sweep),
      earlyStop: sweep.earlyStop ?? null,
    },
  }));
}

/** The sweep's name: the config's name, else its file name without ".brightrun.json". */
export function sweepName(config: Pick<RunConfigFile, 'name'>, configFile: string): string {
  const named = config.name?.trim();
  if (named) return named;
  const file = configFile.split(/[\\/]/).pop() ?? configFile;
  return file.replace(/\.brightrun\.json$/i, '').replace(/\.json$/i, '') || 'sweep';
}
