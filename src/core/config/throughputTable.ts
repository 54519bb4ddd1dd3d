// The GPU table: fallback training speed when no earlier run on the same host and base model has been measured,
// and a default price per GPU-hour for hosts without a configured one.
//
// How the table is built: LoRA training costs about 4·N FLOPs per token for an N-parameter model (forward 2N,
// backward through the frozen weights 2N, the adapters' own gradients are negligible), so
//     tokens/s per GPU ≈ peak dense bf16 FLOP/s × utilisation / (4·N).
// Peak figures are the vendors' dense (non-sparse) bf16/fp16 tensor numbers; utilisation is what a LoRA run of a
// decoder model typically reaches (35 % on data-centre GPUs, 30 % on consumer ones, 25 % on CPU). Expect ±50 %:
// the estimate says so, and is replaced by measured speed after the first run.

//
// Prices: typical public on-demand prices, 2026, in USD for one GPU for one hour, rounded. Where specialist GPU
// clouds rent the card, their usual single-GPU price; cards mostly rented from the large clouds (A10G, L4, T4)
// at those list prices, the smallest instance with one such GPU. Real prices vary by provider, region and
// commitment (spot and reserved are far cheaper): a host's pricePerGpuHour setting or a run config's always wins,
// and the estimate says when a default from this table was used.

export interface GpuClass {
  /** Matched case-insensitively against the GPU name preflight reports (e.g. "NVIDIA A100-SXM4-80GB"). */
  match: RegExp;
  label: string;
  peakTflops: number;
  utilisation: number;
  /** Typical on-demand USD per GPU-hour (see above); undefined where renting makes no sense (a CPU). */
  usdPerHour?: number;
}

export const GPU_TABLE: readonly GpuClass[] = [
  { match: /h200/i, label: 'H200', peakTflops: 989, utilisation: 0.35, usdPerHour: 3.8 },
  { match: /h100/i, label: 'H100', peakTflops: 989, utilisation: 0.35, usdPerHour: 2.99 },
  // Before the plain A100 entry: the 80 GB card rents for more than the 40 GB one.
  { match: /a100.*80\s*g/i, label: 'A100 80GB', peakTflops: 312, utilisation: 0.35, usdPerHour: 1.79 },
  { match: /a100/i, label: 'A100 40GB', peakTflops: 312, utilisation: 0.35, usdPerHour: 1.29 },
  { match: /l40s/i, label: 'L40S', peakTflops: 362, utilisation: 0.35, usdPerHour: 0.99 },
  { match: /a6000/i, label: 'RTX A6000', peakTflops: 155, utilisation: 0.3, usdPerHour: 0.8 },
  { match: /a10g/i, label: 'A10G', peakTflops: 70, utilisation: 0.35, usdPerHour: 1.01 },
  { match: /\ba10\b/i, label: 'A10', peakTflops: 125, utilisation: 0.35, usdPerHour: 0.75 },
  { match: /\bl4\b/i, label: 'L4', peakTflops: 121, utilisation: 0.3, usdPerHour: 0.71 },
  { match: /4090/, label: 'RTX 4090', peakTflops: 165, utilisation: 0.3, usdPerHour: 0.69 },
  { match: /3090/, label: 'RTX 3090', peakTflops: 71, utilisation: 0.3, usdPerHour: 0.43 },
  { match: /v100/i, label: 'V100', peakTflops: 125, utilisation: 0.3, usdPerHour: 0.55 },
  { match: /\bt4\b/i, label: 'T4', peakTflops: 65, utilisation: 0.25, usdPerHour: 0.35 },
  { match: /^cpu$/i, label: 'CPU', peakTflops: 0.5, utilisation: 0.25 },
];

/** Used when the GPU is unknown: a mid-range data-centre card. */
export const DEFAULT_GPU: GpuClass = { match: /^$/, label: 'unknown GPU (assumed A10G-class)', peakTflops: 70, utilisation: 0.35 };

export function gpuClass(gpuName: string | undefined): GpuClass {
  if (!gpuName) return DEFAULT_GPU;
  return GPU_TABLE.find((gpu) => gpu.match.test(gpuName)) ?? DEFAULT_GPU;
}

/** A price per GPU-hour and where it came from: a setting, or the table's default for the detected GPU. */
export interface GpuPrice {
  usdPerHour: number;
  /** The table's label of the detected GPU when the price is its default (e.g. "H100"); null for a setting. */
  fromGpu: string | null;
}

/** The table's typical on-demand price for a GPU name as preflight reports it; undefined for a CPU, no GPU or
 *  a GPU the table does not know (no guess: the user sets a price). */
export function defaultGpuPrice(gpuName: string | null | undefined): GpuPrice | undefined {
  if (!gpuName) return undefined;
  const gpu = GPU_TABLE.find((g) => g.match.test(gpuName));
  return gpu?.usdPerHour === undefined ? undefined : { usdPerHour: gpu.usdPerHour, fromGpu: gpu.label };
}

/** The price a remote host's runs and estimates use: the configured one, else the default for its GPU. */
export function hostGpuPrice(configured: number | null | undefined, detectedGpu: string | null | undefined): GpuPrice | undefined {
  if (configured !== null && configured !== undefined) return { usdPerHour: configured, fromGpu: null };
  return defaultGpuPrice(detectedGpu);
}

/** Words for a price from the table, for estimates and launch messages. */
export function defaultPriceWords(price: GpuPrice): string {
  return `typical on-demand price for the detected ${price.fromGpu}; set pricePerGpuHour for your own`;
}

/** Parameter count read from a model name such as "Qwen2.5-0.5B-Instruct" or "SmolLM2-135M"; undefined if none. */
export function paramsFromModelName(name: string): number | undefined {
  const matches = [...name.matchAll(/(?:^|[^A-Za-z0-9.])(\d+(?:\.\d+)?)\s*([BbMm])(?![A-Za-z0-9])/g)];
  const last = matches.at(-1);
  if (!last) return undefined;
  return Number(last[1]) * (last[2].toLowerCase() === 'b' ? 1e9 : 1e6);
}

export function tableTokensPerSecond(gpu: GpuClass, params: number): number {
  return (gpu.peakTflops * 1e12 * gpu.utilisation) / (4 * params);
}

/** Parameter count of a decoder model from its config.json (embeddings, attention, MLP), when it has the usual
 *  fields; undefined otherwise. Good to a few percent, which is all the estimate needs. */
export function paramsFromModelConfig(config: Record<string, unknown>): number | undefined {
  const n = (key: string) => (typeof config[key] === 'number' ? (config[key] as number) : undefined);
  const hidden = n('hidden_size') ?? n('n_embd') ?? n('d_model');
  const layers = n('num_hidden_layers') ?? n('n_layer');
  const vocab = n('vocab_size');
  if (!hidden || !layers || !vocab) return undefined;
  const intermediate = n('intermediate_size') ?? n('n_inner') ?? 4 * hidden;
  const heads = n('num_attention_heads') ?? n('n_head') ?? 1;
  const kvHeads = n('num_key_value_heads') ?? heads;
  const headDim = n('head_dim') ?? hidden / heads;
  const attention = 2 * hidden * heads * headDim + 2 * hidden * kvHeads * headDim;
  const mlp = 3 * hidden * intermediate;
  const embeddings = vocab * hidden * (config.tie_word_embeddings === false ? 2 : 1);
  return embeddings + layers * (attention + mlp);
}
