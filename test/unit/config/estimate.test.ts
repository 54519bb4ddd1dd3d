import { describe, expect, it } from 'vitest';
import { estimateRun, STARTUP_SECONDS, type EstimateInput } from '../../../src/core/config/estimate';
import { gpuClass, paramsFromModelName } from '../../../src/core/config/throughputTable';

function input(overrides: Partial<EstimateInput> = {}, config: Partial<EstimateInput['config']> = {}): EstimateInput {
  return {
    stats: { examples: 1000, tokens: { total: 1_000_000, assistant: 0, p50: 900, p95: 2000, max: 3000 }, paddingWaste: 0.5, tokensApproximate: true },
    config: {
      base_model: 'Qwen/Qwen2.5-0.5B-Instruct',
      max_seq_len: 2048,
      packing: false,
      epochs: 2,
      max_steps: null,
      batch_size: 4,
      grad_accum: 4,
      num_gpus: 1,
      validation_split: 0,
      validation_file: null,
      ...config,
    },
    host: 'gpu-box',
    gpu: 'NVIDIA A100-SXM4-80GB',
    ...overrides,
  };
}

describe('estimateRun', () => {
  it('counts steps from examples and the effective batch', () => {
    const e = estimateRun(input());
    expect(e.stepsPerEpoch).toBe(Math.ceil(1000 / 16));
    expect(e.steps).toBe(2 * 63);
    // Without packing the padding is computed too: 2 epochs of 1M real tokens at 50% waste.
    expect(e.trainedTokens).toBe(4_000_000);
  });

  it('a preference pair costs two sequences, and DPO adds the reference forward pass', () => {
    const sft = estimateRun(input());
    const orpo = estimateRun(input({}, { method: 'orpo' }));
    const dpo = estimateRun(input({}, { method: 'dpo' }));
    // Steps count pairs, as the trainer batches them.
    expect(orpo.steps).toBe(sft.steps);
    expect(dpo.steps).toBe(sft.steps);
    expect(orpo.trainedTokens).toBe(2 * sft.trainedTokens);
    expect(dpo.trainedTokens).toBe(Math.round(2 * (4 / 3) * sft.trainedTokens));
    expect(dpo.durationS).toBeGreaterThan(orpo.durationS);
    expect(dpo.basis).toContain('1000 pairs (dpo: 2 sequences per pair plus the reference forward pass)');
    expect(orpo.basis).toContain('orpo: 2 sequences per pair');
    expect(sft.basis).toContain('1000 examples;');
  });

  it('packing turns tokens into full sequences and drops the padding', () => {
    const e = estimateRun(input({}, { packing: true }));
    expect(e.stepsPerEpoch).toBe(Math.ceil(Math.ceil(1_000_000 / 2048) / 16));
    expect(e.trainedTokens).toBe(2_000_000);
  });

  it('holds out the validation split when there is no validation file', () => {
    const e = estimateRun(input({}, { validation_split: 0.1, epochs: 1 }));
    expect(e.stepsPerEpoch).toBe(Math.ceil(900 / 16));
  });

  it('max_steps wins over epochs', () => {
    expect(estimateRun(input({}, { max_steps: 5 })).steps).toBe(5);
  });

  it('uses the documented table when nothing was measured, and says so', () => {
    const e = estimateRun(input({ pricePerGpuHour: 2 }));
    expect(e.throughputSource).toBe('table');
    expect(e.basis).toMatch(/table speed for 1 x A100 80GB and 500M parameters/);
    expect(e.costUsd).toBeCloseTo((e.durationS / 3600) * 2, 6);
  });

  it('prefers speed measured on the same host and model, per GPU', () => {
    const history = [
      { host: 'gpu-box', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', gpus: 1, tokensPerS: 1000 },
      { host: 'gpu-box', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', gpus: 1, tokensPerS: 3000 },
      { host: 'other', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', gpus: 1, tokensPerS: 99999 },
      { host: 'gpu-box', baseModel: 'other/model-7B', gpus: 1, tokensPerS: 1 },
    ];
    const e = estimateRun(input({ history }));
    expect(e.throughputSource).toBe('measured');
    expect(e.tokensPerS).toBe(2000);
    expect(e.durationS).toBeCloseTo(STARTUP_SECONDS + 4_000_000 / 2000, 6);
    expect(e.basis).toMatch(/measured by 2 earlier runs/);
  });

  it('cost scales with the number of GPUs and is absent without a price', () => {
    expect(estimateRun(input()).costUsd).toBeNull();
    expect(estimateRun(input()).basis).toMatch(/no GPU price/);
    const two = estimateRun(input({ pricePerGpuHour: 1 }, { num_gpus: 2 }));
    expect(two.costUsd).toBeCloseTo((two.durationS / 3600) * 2, 6);
  });
});

describe('throughput table', () => {
  it('reads the size from model names', () => {
    expect(paramsFromModelName('Qwen/Qwen2.5-0.5B-Instruct')).toBe(0.5e9);
    expect(paramsFromModelName('HuggingFaceTB/SmolLM2-135M')).toBe(135e6);
    expect(paramsFromModelName('meta-llama/Llama-3.1-8B')).toBe(8e9);
    expect(paramsFromModelName('/models/tiny')).toBeUndefined();
  });

  it('matches GPU names from preflight', () => {
    expect(gpuClass('NVIDIA H100 80GB HBM3').label).toBe('H100');
    expect(gpuClass('NVIDIA A10G').label).toBe('A10G');
    expect(gpuClass('NVIDIA L4').label).toBe('L4');
    expect(gpuClass('cpu').label).toBe('CPU');
    expect(gpuClass(undefined).label).toMatch(/unknown/);
  });
});

describe('paramsFromModelConfig', () => {
  it('counts a Llama-style config close to its published size', async () => {
    const { paramsFromModelConfig } = await import('../../../src/core/config/throughputTable');
    // Qwen2.5-0.5B: published 494M parameters.
    const qwen = {
      hidden_size: 896,
      num_hidden_layers: 24,
      vocab_size: 151936,
      intermediate_size: 4864,
      num_attention_heads: 14,
      num_key_value_heads: 2,
      tie_word_embeddings: true,
    };
    expect(paramsFromModelConfig(qwen)! / 494e6).toBeGreaterThan(0.95);
    expect(paramsFromModelConfig(qwen)! / 494e6).toBeLessThan(1.05);
    expect(paramsFromModelConfig({ model_type: 'x' })).toBeUndefined();
  });
});
