// Before launch: how many steps, how long, how much. Steps come from the validator's token counts; speed from
// earlier runs on the same host and base model when there are any, else from the documented GPU table.
import type { DatasetStats } from '../../contracts/dataset';
import type { TrainerConfig } from '../../contracts/trainerConfig';
import { DEFAULT_GPU, defaultPriceWords, gpuClass, paramsFromModelName, tableTokensPerSecond } from './throughputTable';

/** A finished run's measured speed, from the run registry. */
export interface ThroughputSample {
  host: string;
  baseModel: string;
  gpus: number;
  tokensPerS: number;
}

export interface EstimateInput {
  stats: Pick<DatasetStats, 'examples' | 'tokens' | 'paddingWaste' | 'tokensApproximate'>;
  config: Pick<TrainerConfig, 'base_model' | 'max_seq_len' | 'packing' | 'epochs' | 'max_steps' | 'batch_size' | 'grad_accum' | 'num_gpus' | 'method'> & {
    validation_split: number;
    validation_file: string | null;
  };
  host: string;
  /** GPU name as preflight reports it; "cpu" for CPU-only hosts. */
  gpu?: string;
  /** Base model size when known (e.g. from its config.json); otherwise read from the model name. */
  modelParams?: number;
  pricePerGpuHour?: number;
  /** Set when pricePerGpuHour is the GPU table's default for the detected GPU (its label), not a setting. */
  priceFromGpu?: string | null;
  history?: readonly ThroughputSample[];
}

export interface Estimate {
  steps: number;
  stepsPerEpoch: number;
  /** Tokens the optimizer will see, padding included (what the GPU actually computes). */
  trainedTokens: number;
  tokensPerS: number;
  durationS: number;
  costUsd: number | null;
  /** Where the numbers come from, in one or two sentences the UI shows next to them. */
  basis: string;
  throughputSource: 'measured' | 'table';
}

/** Fixed time before the first step (loading the model, tokenizing), in seconds. */
export const STARTUP_SECONDS = 60;
/** Share of linear speed-up per extra GPU (data parallel loses some to communication). */
export const MULTI_GPU_EFFICIENCY = 0.9;
const ASSUMED_PARAMS = 7e9;
/** A forward pass costs about a third of a training step's forward + backward: DPO's reference pass on the
 *  frozen base model adds that much per token. */
export const REFERENCE_PASS_SHARE = 1 / 3;

/** The compute per example relative to SFT: a preference pair trains its chosen and its rejected sequence (the
 *  validator counts a pair as its longer side, which both are padded to), and DPO also runs both through the
 *  reference model. */
function methodCost(method: EstimateInput['config']['method']): { factor: number; words: string } {
  if (method === 'dpo') return { factor: 2 * (1 + REFERENCE_PASS_SHARE), words: 'dpo: 2 sequences per pair plus the reference forward pass' };
  if (method === 'orpo') return { factor: 2, words: 'orpo: 2 sequences per pair' };
  return { factor: 1, words: '' };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function aggregateSpeed(perGpu: number, gpus: number): number {
  return perGpu * (1 + (gpus - 1) * MULTI_GPU_EFFICIENCY);
}

function throughput(input: EstimateInput): { tokensPerS: number; source: 'measured' | 'table'; basis: string } {
  const gpus = input.config.num_gpus;
  const same = (input.history ?? []).filter((s) => s.host === input.host && s.baseModel === input.config.base_model && s.tokensPerS > 0 && s.gpus > 0);
  if (same.length > 0) {
    const perGpu = median(same.map((s) => s.tokensPerS / (1 + (s.gpus - 1) * MULTI_GPU_EFFICIENCY)));
    const tokensPerS = aggregateSpeed(perGpu, gpus);
    const runs = same.length === 1 ? '1 earlier run' : `${same.length} earlier runs`;
    return {
      tokensPerS,
      source: 'measured',
      basis: `speed measured by ${runs} of ${input.config.base_model} on ${input.host} (${Math.round(tokensPerS)} tokens/s)`,
    };
  }
  const gpu = gpuClass(input.gpu);
  const fromName = paramsFromModelName(input.config.base_model);
  const params = input.modelParams ?? fromName ?? ASSUMED_PARAMS;
  const sizeWords =
    input.modelParams !== undefined || fromName !== undefined
      ? `${formatParams(params)} parameters`
      : `an assumed ${formatParams(params)} parameters (size not in the model name)`;
  const tokensPerS = aggregateSpeed(tableTokensPerSecond(gpu, params), gpus);
  const gpuWords = gpu === DEFAULT_GPU ? gpu.label : `${gpus} x ${gpu.label}`;
  return {
    tokensPerS,
    source: 'table',
    basis: `no earlier run of this model on ${input.host}: table speed for ${gpuWords} and ${sizeWords}, ±50%`,
  };
}

function formatParams(params: number): string {
  if (params >= 1e9) return `${+(params / 1e9).toFixed(1)}B`;
  return params >= 1e7 ? `${Math.round(params / 1e6)}M` : `${+(params / 1e6).toFixed(2)}M`;
}

export function estimateRun(input: EstimateInput): Estimate {
  const { stats, config } = input;
  const heldOut = config.validation_file === null ? config.validation_split : 0;
  const trainShare = 1 - heldOut;
  const examples = Math.max(0, Math.round(stats.examples * trainShare));
  const realTokens = stats.tokens.total * trainShare;
  const effectiveBatch = config.batch_size * config.grad_accum * config.num_gpus;
  // Packing fills every sequence to max_seq_len; without it each example is one sequence padded to its batch.
  const sequences = config.packing ? Math.ceil(realTokens / config.max_seq_len) : examples;
  const epochTokens = config.packing ? realTokens : realTokens / Math.max(1e-6, 1 - stats.paddingWaste);
  const stepsPerEpoch = Math.max(1, Math.ceil(sequences / effectiveBatch));
  const steps = config.max_steps ?? Math.max(1, Math.ceil(stepsPerEpoch * config.epochs));
  const cost = methodCost(config.method);
  const trainedTokens = Math.round(epochTokens * cost.factor * (steps / stepsPerEpoch));
  const speed = throughput(input);
  const durationS = STARTUP_SECONDS + trainedTokens / speed.tokensPerS;
  const costUsd = input.pricePerGpuHour === undefined ? null : (durationS / 3600) * input.pricePerGpuHour * config.num_gpus;
  const tokenWords = stats.tokensApproximate ? 'approximate token counts' : 'exact token counts';
  const price =
    input.pricePerGpuHour === undefined
      ? 'no GPU price set, so no cost'
      : `$${input.pricePerGpuHour}/GPU-hour${input.priceFromGpu ? ` (${defaultPriceWords({ usdPerHour: input.pricePerGpuHour, fromGpu: input.priceFromGpu })})` : ''} x ${config.num_gpus} GPU${config.num_gpus > 1 ? 's' : ''}`;
  return {
    steps,
    stepsPerEpoch,
    trainedTokens,
    tokensPerS: speed.tokensPerS,
    durationS,
    costUsd,
    basis: `Steps from ${tokenWords} of ${stats.examples} ${cost.words ? 'pairs' : 'examples'}${cost.words ? ` (${cost.words})` : ''}; ${speed.basis}; ${price}.`,
    throughputSource: speed.source,
  };
}
